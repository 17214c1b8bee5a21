using System.Collections.Immutable;
using System.CommandLine;
using System.Globalization;
using DarwinGrid.Domain.Candidates;
using DarwinGrid.Domain.Predictions;
using DarwinGrid.Domain.Screening;
using DarwinGrid.Grains.Campaigns;
using DarwinGrid.Grains.Models;
using DarwinGrid.Silo.Hosting;

namespace DarwinGrid.Silo.Cli;

/// <summary>
/// <c>darwin screen</c>: runs a campaign through the grains (an embedded silo, or a running one with
/// <c>--cluster</c>), shows its progress and prints the ranking.
/// </summary>
public static class ScreenCommand
{
    private const int AppendChunk = 10_000;

    public static Command Create()
    {
        var tasks = new Option<string>("--tasks") { Description = "Comma-separated properties (task names or aliases such as band_gap,is_metal).", Required = true };
        var input = new Option<FileInfo?>("--input") { Description = "Candidates: a CSV with a composition column (see --column), or a text file with one composition per line." };
        var column = new Option<string>("--column") { Description = "The CSV column holding the compositions.", DefaultValueFactory = _ => "composition" };
        var generate = new Option<string?>("--generate") { Description = "Candidates from a generator spec instead of a file. " + CandidateGeneratorSetup.SpecHelp };
        var filters = new Option<string[]>("--filter") { Description = "A filter such as 'band_gap between 1.1 and 1.8' or 'is_metal = false' (repeatable, or ';'-separated).", AllowMultipleArgumentsPerToken = false };
        var objectives = new Option<string[]>("--objective") { Description = "An objective such as 'maximize band_gap', 'band_gap target 1.4 *2' (repeatable, or ';'-separated)." };
        var pareto = new Option<bool>("--pareto") { Description = "Rank by Pareto fronts over the objectives (two or more) instead of their weighted score (same as --rank pareto)." };
        var rank = new Option<string>("--rank")
        {
            Description = "How to rank: score (weighted objectives), pareto (Pareto fronts over the objectives) or success " +
                "(the probability of passing every filter, from the predicted distributions; needs --filter).",
            DefaultValueFactory = _ => "score",
        };
        var estimate = new Option<string>("--estimate")
        {
            Description = "The number a regression answer reports: median (of the model's distribution), mean, or greedy (one greedy decode, DARWIN's own evaluation).",
            DefaultValueFactory = _ => "median",
        };
        var top = new Option<int>("--top") { Description = "How many of the best candidates to print.", DefaultValueFactory = _ => 20 };
        var model = new Option<string?>("--model") { Description = "The model version for every task (default: the registry's default per task)." };
        var name = new Option<string?>("--name") { Description = "The campaign's name (default: from the input)." };
        var quiet = new Option<bool>("--quiet") { Description = "No progress bar." };
        var cluster = GridOptions.Cluster();
        var home = GridOptions.Home();
        var gatewayPort = GridOptions.GatewayPort();
        var dataDir = CommonOptions.DataDir();
        var command = new Command("screen", "Screen candidates for properties through the grains and print the best ones.");
        foreach (var option in new Option[] { tasks, input, column, generate, filters, objectives, pareto, rank, estimate, top, model, name, quiet, cluster, home, gatewayPort, dataDir })
            command.Options.Add(option);
        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var error = r.InvocationConfiguration.Error;
            var output = r.InvocationConfiguration.Output;
            CampaignDefinition definition;
            IReadOnlyList<string>? listed;
            try
            {
                var mode = ParseRank(r.GetValue(rank), r.GetValue(pareto), r.GetResult(rank) is { Implicit: false });
                var chosen = EstimateConversion.TryParse(r.GetValue(estimate), out var e)
                    ? e
                    : throw new ArgumentException($"--estimate '{r.GetValue(estimate)}' is not an estimate; expected {NumericEstimates.Names}.");
                (definition, listed) = BuildDefinition(r.GetValue(tasks)!, r.GetValue(input), r.GetValue(column)!, r.GetValue(generate),
                    r.GetValue(filters) ?? [], r.GetValue(objectives) ?? [], mode, r.GetValue(model), r.GetValue(name), chosen);
                if (r.GetValue(top) < 1)
                    throw new ArgumentException($"--top must be at least 1, not {r.GetValue(top)}.");
            }
            catch (Exception e) when (e is ArgumentException or FormatException or CandidateSpecException or IOException)
            {
                error.WriteLine(e.Message);
                return 2;
            }

            try
            {
                await using var grid = await GridConnection.OpenAsync(r.GetValue(cluster), GridOptions.Overrides(r, home, dataDir, gatewayPort), ct);
                return await RunCampaignAsync(grid, definition, listed, r.GetValue(top), r.GetValue(quiet), output, error, ct);
            }
            catch (ArgumentException e)
            {
                error.WriteLine(e.Message);
                return 2;
            }
            catch (InvalidOperationException e)
            {
                error.WriteLine(e.Message);
                return 1;
            }
        });
        return command;
    }

    /// <summary>
    /// Creates and starts a campaign on the grid, shows its progress until it finishes, then prints
    /// the summary and the best <paramref name="top"/> candidates. Exit code: 0 completed, 1 not, 130 stopped watching.
    /// </summary>
    public static async Task<int> RunCampaignAsync(GridConnection grid, CampaignDefinition definition, IReadOnlyList<string>? listed,
        int top, bool quiet, TextWriter output, TextWriter error, CancellationToken ct)
    {
        var id = $"screen-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}";
        var campaign = grid.Client.GetGrain<ICampaignGrain>(id);
        var retry = grid.Retry;
        // Create and append are not idempotent: retried only when the call never ran (rejected).
        var created = await retry.RunAsync(() => campaign.CreateAsync(definition), idempotent: false, ct);
        long rejected = created.RejectedCandidates;
        for (var start = 0; listed is not null && start < listed.Count; start += AppendChunk)
        {
            var chunk = listed.Skip(start).Take(AppendChunk).ToImmutableArray();
            rejected += (await retry.RunAsync(() => campaign.AppendCandidatesAsync(chunk), idempotent: false, ct)).Length;
        }
        await retry.RunAsync(() => campaign.StartAsync(), idempotent: true, ct);
        await output.WriteLineAsync($"Campaign {id}: {string.Join(", ", definition.Tasks)}{(grid.Embedded ? " (embedded silo)" : "")}");

        CampaignStatus last;
        try
        {
            last = await CampaignWatcher.FollowAsync(campaign, retry, status =>
            {
                if (!quiet)
                    error.Write("\r" + ProgressLine(status));
            }, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            error.WriteLine();
            error.WriteLine($"Stopped watching; campaign {id} keeps its progress and resumes when a silo runs ('darwin serve').");
            return 130;
        }
        if (!quiet)
            error.WriteLine();
        await WriteSummaryAsync(output, last, rejected);
        if (last.State != CampaignState.Completed)
            return 1;
        var best = await retry.RunAsync(() => campaign.GetTopAsync(top), idempotent: true, ct);
        // The stored definition names tasks by catalog name, as the results do.
        var stored = await retry.RunAsync(() => campaign.GetDefinitionAsync(), idempotent: true, ct);
        RankingTable.Write(output, best, stored ?? definition);
        return 0;
    }

    /// <summary>--rank, with --pareto as its older spelling of 'pareto'.</summary>
    public static RankingMode ParseRank(string? rank, bool pareto, bool rankGiven)
    {
        if (!RankingModeText.TryParse(rank, out var mode))
            throw new ArgumentException($"--rank '{rank}' is not a ranking; expected {RankingModeText.Names}.");
        if (pareto && rankGiven && mode != RankingMode.Pareto)
            throw new ArgumentException($"--pareto contradicts --rank {rank}; give one of them.");
        return pareto ? RankingMode.Pareto : mode;
    }

    /// <summary>The definition and, for a text or list input, the compositions to append after creating it.</summary>
    public static (CampaignDefinition Definition, IReadOnlyList<string>? Listed) BuildDefinition(
        string tasks, FileInfo? input, string column, string? generate, IEnumerable<string> filters, IEnumerable<string> objectives,
        RankingMode mode, string? model, string? name, PredictionEstimate estimate = PredictionEstimate.Median)
    {
        if ((input is null) == (generate is null))
            throw new ArgumentException("Give the candidates with exactly one of --input FILE and --generate SPEC.");
        var taskList = tasks.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var filterList = filters.SelectMany(ScreeningParser.ParseFilters).Select(ScreeningConversion.ToFilter).ToImmutableArray();
        var objectiveList = objectives.SelectMany(ScreeningParser.ParseObjectives).Select(ScreeningConversion.ToObjective).ToImmutableArray();
        var ranking = new RankingSpec(mode, objectiveList);

        CandidateSource source;
        IReadOnlyList<string>? listed = null;
        string title;
        if (generate is not null)
        {
            source = CandidateSource.FromGenerator(GeneratorSpecConversion.FromDomain(CandidateSpecParser.Parse(generate)));
            title = generate;
        }
        else if (!input!.Exists)
        {
            throw new ArgumentException($"Input file '{input.FullName}' does not exist.");
        }
        else if (input.Extension.Equals(".csv", StringComparison.OrdinalIgnoreCase))
        {
            source = CandidateSource.FromCsv(input.FullName, column);
            title = input.Name;
        }
        else
        {
            listed = [.. File.ReadLines(input.FullName).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))];
            source = CandidateSource.FromList([]);
            title = input.Name;
        }
        return (new CampaignDefinition(name ?? title, source, [.. taskList], filterList, ranking, model, estimate), listed);
    }

    public static string ProgressLine(CampaignStatus status)
    {
        const int width = 30;
        var filled = (int)Math.Round(status.Fraction * width);
        var eta = status.EstimatedRemaining is { } remaining ? $" ETA {remaining:hh\\:mm\\:ss}" : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"[{new string('#', filled)}{new string('.', width - filled)}] {status.Fraction,4:P0} {status.Done}/{status.Total} {status.State} {status.CandidatesPerSecond:F1} candidates/s{eta}   ");
    }

    private static async Task WriteSummaryAsync(TextWriter output, CampaignStatus status, long rejected)
    {
        var elapsed = status.StartedAt is { } started && status.FinishedAt is { } finished ? $" in {(finished - started).TotalSeconds:F1} s" : "";
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{status.State}{elapsed}: {status.Candidates} candidates, {status.Done}/{status.Total} predictions, {status.Failed} failed, {status.Cached} from the cache, {rejected} rows rejected"));
        if (status.Error is not null)
            await output.WriteLineAsync($"Error: {status.Error}");
    }
}

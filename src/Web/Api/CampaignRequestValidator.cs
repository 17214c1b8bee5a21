using System.Collections.Immutable;
using DarwinGrid.Domain.Candidates;
using DarwinGrid.Domain.Compositions;
using DarwinGrid.Domain.Screening;
using DarwinGrid.Domain.Tasks;
using DarwinGrid.Domain.Predictions;
using DarwinGrid.Grains.Campaigns;
using DarwinGrid.Grains.Models;

namespace DarwinGrid.Web.Api;

/// <summary>
/// Checks a create request field by field with the parsers the CLI uses, so a client learns every
/// problem at once and where it is, before anything is stored.
/// </summary>
public static class CampaignRequestValidator
{
    public const int MaxCompositions = 100_000;

    private static readonly InputField[] CompositionInputs = [InputField.Composition, InputField.Alloy, InputField.Formula, InputField.MaterialName];

    public sealed record Validated(string Id, CampaignDefinition Definition, ImmutableArray<string> Compositions);

    public static Validated? Validate(CreateCampaignRequest request, FieldErrors errors, TimeProvider time)
    {
        var id = request.Id is null ? NewId(time) : request.Id.Trim();
        if (!CampaignLimits.IsValidId(id))
            errors.Add("id", $"'{request.Id}' is not a campaign id: {CampaignLimits.IdRule}.");

        var tasks = Tasks(request.Tasks, errors);
        var compositions = Candidates(request, errors, out var source);
        var filters = Parse(request.Filters, "filters", CampaignLimits.MaxFilters, ScreeningParser.ParseFilter, f => f.Task, tasks, errors).Select(ScreeningConversion.ToFilter).ToImmutableArray();
        var objectives = Parse(request.Objectives, "objectives", CampaignLimits.MaxObjectives, ScreeningParser.ParseObjective, o => o.Task, tasks, errors).Select(ScreeningConversion.ToObjective).ToImmutableArray();
        var mode = request.Pareto ? RankingMode.Pareto : RankingMode.WeightedScore;
        if (request.Rank is not null && !RankingModeText.TryParse(request.Rank, out mode))
            errors.Add("rank", $"'{request.Rank}' is not a ranking; expected {RankingModeText.Names}.");
        else if (request.Pareto && mode != RankingMode.Pareto)
            errors.Add("rank", $"'pareto: true' contradicts rank '{request.Rank}'; give one of them.");
        if (mode == RankingMode.Pareto && objectives.Length < 2)
            errors.Add(request.Pareto ? "pareto" : "rank", $"Pareto ranking needs two or more objectives; {objectives.Length} given.");
        if (mode == RankingMode.ProbabilityOfSuccess && filters.Length == 0)
            errors.Add("rank", "Ranking by the probability of success needs at least one filter.");
        var estimate = PredictionEstimate.Median;
        if (request.Estimate is not null && !EstimateConversion.TryParse(request.Estimate, out estimate))
            errors.Add("estimate", $"'{request.Estimate}' is not an estimate; expected {NumericEstimates.Names}.");
        if (request.Model is { } model && string.IsNullOrWhiteSpace(model))
            errors.Add("model", "The model version is blank; leave it out to use the registry's default per task.");
        if (request.Name is { Length: > 200 })
            errors.Add("name", "The name is longer than 200 characters.");
        if (errors.Any || source is null)
            return null;

        var name = string.IsNullOrWhiteSpace(request.Name) ? id : request.Name.Trim();
        var ranking = new RankingSpec(mode, objectives);
        return new Validated(id, new CampaignDefinition(name, source, [.. tasks], filters, ranking, request.Model?.Trim(), estimate), compositions);
    }

    private static string NewId(TimeProvider time) => $"api-{time.GetUtcNow():yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}";

    private static List<string> Tasks(string[]? names, FieldErrors errors)
    {
        var tasks = new List<string>();
        if (names is not { Length: > 0 })
        {
            errors.Add("tasks", "Name at least one property task, e.g. [\"band_gap\", \"is_metal\"].");
            return tasks;
        }
        for (var i = 0; i < names.Length; i++)
        {
            var task = string.IsNullOrWhiteSpace(names[i]) ? null : TaskAliases.TryResolve(names[i]);
            if (task is null)
                errors.Add($"tasks[{i}]", $"Unknown task '{names[i]}'. Aliases: {string.Join(", ", TaskAliases.All.Keys)}; tasks: {string.Join(", ", TaskCatalog.All.Select(t => t.Name))}.");
            else if (!CompositionInputs.Contains(task.Input))
                errors.Add($"tasks[{i}]", $"Task '{task.Name}' reads {task.Input}, not compositions; a campaign screens compositions.");
            else if (!tasks.Contains(task.Name))
                tasks.Add(task.Name);
        }
        return tasks;
    }

    private static ImmutableArray<string> Candidates(CreateCampaignRequest request, FieldErrors errors, out CandidateSource? source)
    {
        source = null;
        if ((request.Compositions is null) == (request.Generate is null))
        {
            errors.Add("compositions", "Give the candidates with exactly one of 'compositions' (a list of formulas) and 'generate' (a generator spec).");
            return [];
        }
        if (request.Generate is { } spec)
        {
            try
            {
                source = CandidateSource.FromGenerator(GeneratorSpecConversion.FromDomain(CandidateSpecParser.Parse(spec)));
            }
            catch (FormatException e)
            {
                errors.Add("generate", e.Message);
            }
            return [];
        }

        var compositions = request.Compositions!;
        if (compositions.Length == 0)
            errors.Add("compositions", "The list of compositions is empty.");
        else if (compositions.Length > MaxCompositions)
            errors.Add("compositions", $"{compositions.Length} compositions; at most {MaxCompositions} per request (use 'generate' for larger spaces).");
        else
            CompositionRows(compositions, "compositions", errors);
        source = CandidateSource.FromList([]);
        return [.. compositions];
    }

    /// <summary>Parses every row, naming each bad one (the first <see cref="FieldErrors.MaxListed"/>, then a count).</summary>
    public static void CompositionRows(IReadOnlyList<string?> rows, string field, FieldErrors errors)
    {
        var bad = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            if (CompositionParser.TryParse(rows[i] ?? "", out _, out var error))
                continue;
            if (++bad <= FieldErrors.MaxListed)
                errors.Add($"{field}[{i}]", $"'{rows[i]}' is not a composition: {error.Message}.");
        }
        if (bad > FieldErrors.MaxListed)
            errors.Add(field, $"{bad} of {rows.Count} rows are not compositions; the first {FieldErrors.MaxListed} are listed.");
    }

    private static List<T> Parse<T>(string[]? texts, string field, int max, Func<string, T> parse, Func<T, string> taskOf, List<string> tasks, FieldErrors errors)
    {
        var parsed = new List<T>();
        // Each filter or objective is a term of every result query: the cap keeps those queries bounded.
        if (texts is { Length: var count } && count > max)
        {
            errors.Add(field, $"{count} {field}; at most {max} per campaign.");
            return parsed;
        }
        for (var i = 0; texts is not null && i < texts.Length; i++)
        {
            try
            {
                var item = parse(texts[i] ?? "");
                if (tasks.Count > 0 && !tasks.Contains(taskOf(item)))
                    errors.Add($"{field}[{i}]", $"'{texts[i]}' is on '{taskOf(item)}', which the campaign does not predict; add it to tasks.");
                else
                    parsed.Add(item);
            }
            catch (ScreeningParseException e)
            {
                errors.Add($"{field}[{i}]", e.Message);
            }
        }
        return parsed;
    }
}

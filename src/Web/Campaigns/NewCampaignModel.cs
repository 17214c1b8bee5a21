using System.Collections.Immutable;
using DarwinGrid.Domain.Candidates;
using DarwinGrid.Domain.Compositions;
using DarwinGrid.Domain.Tasks;
using DarwinGrid.Grains.Campaigns;
using DarwinGrid.Grains.Models;

namespace DarwinGrid.Web.Campaigns;

/// <summary>
/// The new-campaign form: name, candidates (uploaded CSV, pasted lines or a generator), properties,
/// model version, filters and ranking; checks it and creates, fills and starts the campaign.
/// </summary>
public sealed class NewCampaignModel(IGrainFactory grains, GeneratorPreviewer previewer)
{
    /// <summary>Candidates go to the campaign grain in chunks of this many (as the CLI sends them).</summary>
    public const int AppendChunk = 10_000;

    private static readonly InputField[] CompositionInputs = [InputField.Composition, InputField.Alloy, InputField.Formula, InputField.MaterialName];

    private string _csvText = "";

    /// <summary>The tasks a campaign can screen: those whose input is a composition.</summary>
    public static IReadOnlyList<PropertyTask> ScreenableTasks { get; } = [.. TaskCatalog.All.Where(t => CompositionInputs.Contains(t.Input))];

    public string Name { get; set; } = "";

    public CandidateInputKind InputKind { get; set; } = CandidateInputKind.Upload;

    public string? UploadName { get; private set; }

    public IReadOnlyList<string> UploadColumns { get; private set; } = [];

    public string? UploadColumn { get; private set; }

    public string? UploadError { get; private set; }

    public CandidateCheck Uploaded { get; private set; } = CandidateCheck.Empty;

    public string PastedText { get; set; } = "";

    public CandidateCheck Pasted { get; private set; } = CandidateCheck.Empty;

    /// <summary>The user agreed to leave the bad rows out.</summary>
    public bool SkipBadRows { get; set; }

    public GeneratorDraft Generator { get; } = new();

    public GeneratorPreview? Preview { get; private set; }

    public HashSet<string> Tasks { get; } = new(StringComparer.Ordinal) { "matbench_expt_gap" };

    /// <summary>Null: the registry's default per task.</summary>
    public string? ModelVersion { get; set; }

    public ImmutableArray<ModelVersionInfo> ModelVersions { get; private set; } = [];

    public List<FilterDraft> Filters { get; } = [];

    public RankingMode RankingMode { get; set; } = RankingMode.WeightedScore;

    /// <summary>The number a regression answer reports: the median of the model's distribution unless chosen otherwise.</summary>
    public PredictionEstimate Estimate { get; set; } = PredictionEstimate.Median;

    public List<ObjectiveDraft> Objectives { get; } = [new() { Task = "matbench_expt_gap", Goal = ObjectiveGoal.Maximize }];

    public CandidateCheck CurrentCheck => InputKind switch
    {
        CandidateInputKind.Upload => Uploaded,
        CandidateInputKind.Paste => Pasted,
        _ => CandidateCheck.Empty,
    };

    public async Task LoadModelsAsync(CancellationToken cancellationToken = default) =>
        ModelVersions = await grains.GetGrain<IModelRegistryGrain>(IModelRegistryGrain.Key).ListAsync().WaitAsync(cancellationToken);

    /// <summary>Reads an uploaded file: a CSV (its composition column), or any other text as one composition per line.</summary>
    public async Task UploadAsync(string fileName, Stream content, CancellationToken cancellationToken = default)
    {
        using var reader = new StreamReader(content);
        var text = await reader.ReadToEndAsync(cancellationToken);
        UploadName = fileName;
        UploadError = null;
        SkipBadRows = false;
        if (!fileName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
        {
            _csvText = "";
            UploadColumns = [];
            UploadColumn = null;
            Uploaded = CandidateRows.FromLines(text, cancellationToken);
            return;
        }
        _csvText = text;
        UploadColumns = CandidateRows.Columns(text);
        SelectColumn(CandidateRows.GuessColumn(UploadColumns), cancellationToken);
        if (string.IsNullOrWhiteSpace(Name))
            Name = Path.GetFileNameWithoutExtension(fileName);
    }

    /// <summary>Re-reads the uploaded CSV from another column.</summary>
    public void SelectColumn(string? column, CancellationToken cancellationToken = default)
    {
        UploadColumn = column;
        Uploaded = CandidateCheck.Empty;
        if (column is null)
        {
            UploadError = "The file has no header row; the first line must name the columns (e.g. composition).";
            return;
        }
        try
        {
            Uploaded = CandidateRows.FromCsv(_csvText, column, cancellationToken);
            UploadError = Uploaded.Rows == 0 ? "The file has a header but no rows." : null;
        }
        catch (CsvColumnNotFoundException e)
        {
            UploadError = e.Message;
        }
    }

    public void CheckPasted(CancellationToken cancellationToken = default)
    {
        Pasted = CandidateRows.FromLines(PastedText, cancellationToken);
        SkipBadRows = false;
    }

    public void UpdatePreview(CancellationToken cancellationToken = default) => Preview = previewer.Preview(Generator, cancellationToken);

    /// <summary>What stops the campaign from being created, in words; empty when it can be.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Name))
            problems.Add("Give the campaign a name.");
        if (Tasks.Count == 0)
            problems.Add("Choose at least one property to predict.");
        switch (InputKind)
        {
            case CandidateInputKind.Generator:
                if (Preview is null)
                    problems.Add("Check the generator spec.");
                else if (Preview.Error is not null)
                    problems.Add($"The generator spec is invalid: {Preview.Error}");
                else if (Preview.Count == 0)
                    problems.Add("The generator produces no candidates.");
                break;
            default:
                var check = CurrentCheck;
                if (InputKind == CandidateInputKind.Upload && UploadError is not null)
                    problems.Add(UploadError);
                else if (check.Valid.IsEmpty)
                    problems.Add(InputKind == CandidateInputKind.Upload ? "Upload a file of candidates." : "Paste at least one composition.");
                if (check.BadCount > 0 && !SkipBadRows)
                    problems.Add($"{check.BadCount} row(s) are not compositions: fix them, or choose to skip them.");
                break;
        }
        foreach (var filter in Filters)
        {
            if (!Tasks.Contains(filter.Task))
                problems.Add($"A filter is on {filter.Task}, which is not among the chosen properties.");
            else if (filter.Operator is FilterOperator.Between && (filter.Low is null || filter.High is null || filter.Low > filter.High))
                problems.Add($"The filter on {filter.Task} needs a lower bound below its upper bound.");
            else if ((filter.Operator == FilterOperator.AtLeast && filter.Low is null) || (filter.Operator == FilterOperator.AtMost && filter.High is null))
                problems.Add($"The filter on {filter.Task} needs its bound.");
            else if ((filter.Operator is FilterOperator.Is or FilterOperator.IsNot) && string.IsNullOrEmpty(filter.Label))
                problems.Add($"The filter on {filter.Task} needs a class.");
        }
        foreach (var objective in Objectives)
        {
            if (!Tasks.Contains(objective.Task))
                problems.Add($"An objective ranks by {objective.Task}, which is not among the chosen properties.");
            else if (objective.Goal == ObjectiveGoal.Target && objective.Target is null)
                problems.Add($"The objective on {objective.Task} needs a target value.");
        }
        if (RankingMode == RankingMode.Pareto && Objectives.Select(o => o.Task).Distinct().Count() < 2)
            problems.Add("A Pareto ranking needs objectives on two properties.");
        if (RankingMode == RankingMode.ProbabilityOfSuccess && Filters.Count == 0)
            problems.Add("Ranking by the probability of success needs at least one filter.");
        return problems;
    }

    public CampaignDefinition Definition()
    {
        CandidateSource source;
        if (InputKind == CandidateInputKind.Generator)
        {
            source = CandidateSource.FromGenerator(GeneratorSpecConversion.FromDomain(Generator.Parse()));
        }
        else
        {
            source = CandidateSource.FromList([]);
        }
        var ranking = new RankingSpec(RankingMode, [.. Objectives.Select(o => o.ToObjective())]);
        var tasks = ScreenableTasks.Select(t => t.Name).Where(Tasks.Contains).ToImmutableArray();
        return new CampaignDefinition(Name.Trim(), source, tasks, [.. Filters.Select(f => f.ToFilter())], ranking, ModelVersion, Estimate);
    }

    /// <summary>
    /// Creates the campaign, appends the good rows (the bad ones were shown and skipped), and starts it.
    /// Returns its id. The grain re-checks everything; its objections come back as <see cref="ArgumentException"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The form still has problems.</exception>
    public async Task<string> CreateAsync(CancellationToken cancellationToken = default)
    {
        var problems = Problems();
        if (problems.Count > 0)
            throw new InvalidOperationException(string.Join(" ", problems));
        var id = $"web-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}";
        var campaign = grains.GetGrain<ICampaignGrain>(id);
        await campaign.CreateAsync(Definition()).WaitAsync(cancellationToken);
        if (InputKind != CandidateInputKind.Generator)
        {
            var rows = CurrentCheck.Valid;
            for (var start = 0; start < rows.Length; start += AppendChunk)
                await campaign.AppendCandidatesAsync(rows.Slice(start, Math.Min(AppendChunk, rows.Length - start))).WaitAsync(cancellationToken);
        }
        await campaign.StartAsync().WaitAsync(cancellationToken);
        return id;
    }
}

using System.Collections.Immutable;
using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using DarwinGrid.Domain.Candidates;
using DarwinGrid.Domain.Screening;
using DarwinGrid.Domain.Tasks;
using DarwinGrid.Grains.Ranking;

namespace DarwinGrid.Grains.Campaigns;

/// <summary>
/// Checks a campaign definition before anything is stored and returns it normalised: task names
/// and aliases resolved to catalog names (in filters and objectives too), class labels to their
/// canonical names, default arrays made empty. Every problem is an <see cref="ArgumentException"/>
/// naming it. Candidate rows are not checked here: malformed rows are recorded one by one.
/// </summary>
public static class CampaignDefinitionValidator
{
    private static readonly InputField[] CompositionInputs = [InputField.Composition, InputField.Alloy, InputField.Formula, InputField.MaterialName];

    public static CampaignDefinition Normalize(CampaignDefinition? definition, Func<CandidateGenerationSpec, CandidateGenerator> createGenerator)
    {
        if (definition is null)
            throw new ArgumentException("The campaign definition is missing.");
        if (string.IsNullOrWhiteSpace(definition.Name))
            throw new ArgumentException("The campaign needs a name.");
        if (definition.Tasks.IsDefaultOrEmpty)
            throw new ArgumentException("The campaign names no property tasks; give at least one (e.g. band_gap).");

        var tasks = new List<string>();
        foreach (var name in definition.Tasks)
        {
            var task = Resolve(name, "The campaign");
            if (!CompositionInputs.Contains(task.Input))
                throw new ArgumentException($"Task '{task.Name}' reads {task.Input}, not compositions; a campaign screens compositions.");
            if (!tasks.Contains(task.Name))
                tasks.Add(task.Name);
        }

        if (!definition.Filters.IsDefault && definition.Filters.Length > CampaignLimits.MaxFilters)
            throw new ArgumentException($"The campaign has {definition.Filters.Length} filters; at most {CampaignLimits.MaxFilters} are allowed.");
        if (definition.Ranking is { Objectives.IsDefault: false } r && r.Objectives.Length > CampaignLimits.MaxObjectives)
            throw new ArgumentException($"The ranking has {r.Objectives.Length} objectives; at most {CampaignLimits.MaxObjectives} are allowed.");
        var filters = (definition.Filters.IsDefault ? [] : definition.Filters).Select(f => NormalizeFilter(f, tasks)).ToImmutableArray();
        var ranking = NormalizeRanking(definition.Ranking, tasks, filters);
        var candidates = NormalizeSource(definition.Candidates, createGenerator);
        if (!Enum.IsDefined(definition.Estimate))
            throw new ArgumentException($"Unknown estimate {(int)definition.Estimate}; expected median, mean or greedy.");
        if (definition.ModelVersion is { } version && string.IsNullOrWhiteSpace(version))
            throw new ArgumentException("The model version is blank; leave it out to use the registry's default per task.");

        return definition with { Name = definition.Name.Trim(), Tasks = [.. tasks], Filters = filters, Ranking = ranking, Candidates = candidates };
    }

    private static PropertyTask Resolve(string name, string where) =>
        (string.IsNullOrWhiteSpace(name) ? null : TaskAliases.TryResolve(name)) ?? throw new ArgumentException(
            $"{where} names an unknown task '{name}'. Aliases: {string.Join(", ", TaskAliases.All.Keys)}; tasks: {string.Join(", ", TaskCatalog.All.Select(t => t.Name))}.");

    private static PropertyFilter NormalizeFilter(PropertyFilter? filter, List<string> tasks)
    {
        if (filter is null)
            throw new ArgumentException("A filter is missing (null).");
        var task = Resolve(filter.Task, "A filter");
        if (!tasks.Contains(task.Name))
            throw new ArgumentException($"A filter is on '{task.Name}', which the campaign does not predict; add it to the tasks.");
        var normalized = filter with { Task = task.Name };
        if (filter.Operator is FilterOperator.Is or FilterOperator.IsNot)
        {
            if (task.Kind == TaskKind.Regression)
                throw new ArgumentException($"Filter '{filter.Operator}' on '{task.Name}' needs a classification task; '{task.Name}' predicts a number.");
            var label = filter.Label is null ? null : TaskLabels.TryResolve(task, filter.Label);
            normalized = normalized with { Label = label ?? throw new ArgumentException($"Filter on '{task.Name}': '{filter.Label}' is not a class ({TaskLabels.Describe(task)}).") };
        }
        else if (task.Kind != TaskKind.Regression && task.Kind != TaskKind.Binary)
        {
            throw new ArgumentException($"Filter on '{task.Name}': numeric bounds need a regression or binary task (binary bounds the positive class's probability).");
        }
        PredictionFilters.Validate(normalized);
        return normalized;
    }

    private static RankingSpec NormalizeRanking(RankingSpec? ranking, List<string> tasks, ImmutableArray<PropertyFilter> filters)
    {
        if (ranking is { Mode: RankingMode.ProbabilityOfSuccess })
        {
            if (filters.IsEmpty)
                throw new ArgumentException("Ranking by the probability of success needs at least one filter: it ranks by P(every filter met).");
            ranking = ranking with { Objectives = ranking.Objectives.IsDefault ? [] : ranking.Objectives };
            if (ranking.Objectives.IsEmpty)
                return ranking;
        }
        else if (ranking is null || ranking.Objectives.IsDefaultOrEmpty)
        {
            return new RankingSpec(RankingMode.WeightedScore, []);
        }
        var objectives = ranking.Objectives.Select(o =>
        {
            if (o is null)
                throw new ArgumentException("An objective is missing (null).");
            var task = Resolve(o.Task, "An objective");
            if (!tasks.Contains(task.Name))
                throw new ArgumentException($"An objective ranks by '{task.Name}', which the campaign does not predict; add it to the tasks.");
            var label = o.Label;
            if (task.Kind != TaskKind.Regression)
            {
                label = label is null
                    ? (task.Kind == TaskKind.Binary ? TaskLabels.Positive(task) : throw new ArgumentException($"The objective on '{task.Name}' must name the class whose probability it ranks."))
                    : TaskLabels.TryResolve(task, label) ?? throw new ArgumentException($"Objective on '{task.Name}': '{o.Label}' is not a class ({TaskLabels.Describe(task)}).");
            }
            else if (label is not null)
            {
                throw new ArgumentException($"Objective on '{task.Name}' names the class '{label}', but '{task.Name}' predicts a number.");
            }
            return o with { Task = task.Name, Label = label };
        }).ToImmutableArray();
        var normalized = ranking with { Objectives = objectives };
        _ = new RankingCalculator(normalized, filters); // throws ArgumentException naming the problem
        return normalized;
    }

    private static CandidateSource NormalizeSource(CandidateSource? source, Func<CandidateGenerationSpec, CandidateGenerator> createGenerator)
    {
        if (source is null)
            throw new ArgumentException("The campaign has no candidate source.");
        var compositions = source.Compositions.IsDefault ? [] : source.Compositions;
        switch (source.Kind)
        {
            case CandidateSourceKind.List:
                return source with { Compositions = compositions };
            case CandidateSourceKind.CsvFile:
                if (string.IsNullOrWhiteSpace(source.CsvPath))
                    throw new ArgumentException("A CSV candidate source needs a path.");
                var column = string.IsNullOrWhiteSpace(source.CsvColumn) ? "composition" : source.CsvColumn;
                CheckCsvHeader(source.CsvPath, column);
                return source with { Compositions = [], CsvColumn = column };
            case CandidateSourceKind.Generator:
                if (source.Generator is null)
                    throw new ArgumentException("A generator candidate source needs a generator spec.");
                try
                {
                    createGenerator(GeneratorSpecConversion.ToDomain(source.Generator));
                }
                catch (CandidateSpecException e)
                {
                    throw new ArgumentException($"Invalid candidate generator: {e.Message}");
                }
                return source with
                {
                    Compositions = [],
                    Generator = source.Generator with
                    {
                        Sites = source.Generator.Sites.IsDefault ? [] : source.Generator.Sites,
                        Variables = source.Generator.Variables.IsDefault ? [] : source.Generator.Variables,
                    },
                };
            default:
                throw new ArgumentException($"Unknown candidate source kind {(int)source.Kind}.");
        }
    }

    /// <summary>The file exists and its header has the column (rows are read at start).</summary>
    public static int CheckCsvHeader(string path, string column)
    {
        if (!File.Exists(path))
            throw new ArgumentException($"Candidate CSV '{path}' does not exist (in a cluster it must be on a path every silo can read).");
        using var reader = new CsvReader(new StreamReader(path), new CsvConfiguration(CultureInfo.InvariantCulture) { BadDataFound = null, MissingFieldFound = null });
        if (!reader.Read() || !reader.ReadHeader() || reader.HeaderRecord is not { } header)
            throw new ArgumentException($"Candidate CSV '{path}' is empty; it needs a header with a '{column}' column.");
        var index = Array.IndexOf(header, column);
        return index >= 0 ? index : throw new ArgumentException(
            $"Candidate CSV '{path}' has no column '{column}'; its columns are {string.Join(", ", header.Select(h => $"'{h}'"))}.");
    }
}

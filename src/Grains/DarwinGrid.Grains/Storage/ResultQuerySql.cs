using System.Globalization;
using System.Text;
using DarwinGrid.Grains.Campaigns;
using DarwinGrid.Grains.Ranking;

namespace DarwinGrid.Grains.Storage;

/// <summary>
/// Turns a <see cref="ResultQuery"/> into two statements over the candidates table: one counting
/// the matching candidates, one selecting a page of (index, input, composition, score, rank). Only
/// the tasks a filter or the sort mentions are joined (each a primary-key lookup per candidate); the
/// page's predictions are fetched afterwards for the page's candidates only.
/// </summary>
internal sealed class ResultQuerySql
{
    public const int MaxPageSize = 10_000;

    private readonly SqlDialect _dialect;
    private readonly Dictionary<string, (string Alias, TaskModel Task)> _joins = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TaskModel> _scope;
    private readonly List<string> _conditions = ["c.campaign_ref = @campaign"];

    public ResultQuerySql(SqlDialect dialect, ResultScope scope, ResultQuery query)
    {
        _dialect = dialect;
        Validate(scope, query);
        _scope = scope.Tasks.ToDictionary(t => t.Task, StringComparer.Ordinal);

        foreach (var filter in query.Filters.IsDefault ? [] : query.Filters)
            _conditions.Add(Condition(filter));
        if (query.OnlyPassingFilters)
        {
            foreach (var filter in scope.CampaignFilters)
                _conditions.Add(Condition(filter));
        }
        if (!string.IsNullOrEmpty(query.CompositionContains))
        {
            _conditions.Add(_dialect.Contains("c.composition", "@contains"));
            Parameters["@contains"] = query.CompositionContains;
        }

        var direction = query.Descending ? "DESC" : "ASC";
        var sortKey = query.SortBy switch
        {
            ResultSortKey.Score => "s.score",
            ResultSortKey.ParetoRank => "s.pareto_rank",
            ResultSortKey.Composition => "c.composition",
            ResultSortKey.Task => Numeric(Join(query.SortTask!)),
            _ => throw new ArgumentOutOfRangeException(nameof(query), query.SortBy, "Unknown sort key."),
        };
        OrderBy = $"{sortKey} {direction} NULLS LAST, c.candidate_index ASC";

        Parameters["@limit"] = query.PageSize;
        Parameters["@offset"] = (long)query.Page * query.PageSize;
    }

    /// <summary>Parameter values besides <c>@campaign</c>, which the caller binds.</summary>
    public Dictionary<string, object> Parameters { get; } = new(StringComparer.Ordinal);

    public string OrderBy { get; }

    public string CountSql => $"SELECT COUNT(*) FROM campaign_candidates c {Joins()} WHERE {Where()};";

    public string PageSql =>
        $"""
         SELECT c.candidate_index, c.input, c.composition, s.score, s.pareto_rank
         FROM campaign_candidates c
         LEFT JOIN campaign_scores s ON s.campaign_ref = c.campaign_ref AND s.candidate_index = c.candidate_index
         {Joins()}
         WHERE {Where()}
         ORDER BY {OrderBy}
         LIMIT @limit OFFSET @offset;
         """;

    private string Where() => string.Join(" AND ", _conditions);

    private string Joins()
    {
        var builder = new StringBuilder();
        foreach (var (alias, _) in _joins.Values)
        {
            builder.Append(CultureInfo.InvariantCulture,
                $"LEFT JOIN campaign_results {alias} ON {alias}.campaign_ref = c.campaign_ref AND {alias}.task = @{alias}_task ")
                .Append(CultureInfo.InvariantCulture,
                $"AND {alias}.model_version = @{alias}_version AND {alias}.candidate_index = c.candidate_index\n");
        }
        return builder.ToString();
    }

    /// <summary>The alias joined for a task of the scope (joined once however often it is used).</summary>
    private string Join(string task)
    {
        if (_joins.TryGetValue(task, out var existing))
            return existing.Alias;
        var alias = "r" + _joins.Count.ToString(CultureInfo.InvariantCulture);
        var taskModel = _scope[task];
        _joins[task] = (alias, taskModel);
        Parameters[$"@{alias}_task"] = taskModel.Task;
        Parameters[$"@{alias}_version"] = taskModel.ModelVersion;
        return alias;
    }

    /// <summary>Mirrors <see cref="PredictionFilters.NumericValue"/>.</summary>
    private static string Numeric(string alias) =>
        $"(CASE WHEN {alias}.error IS NULL THEN COALESCE({alias}.value, {alias}.probability) END)";

    /// <summary>Mirrors <see cref="PredictionFilters.Passes(Models.Prediction, PropertyFilter)"/>.</summary>
    private string Condition(PropertyFilter filter)
    {
        var alias = Join(filter.Task);
        var n = Parameters.Count.ToString(CultureInfo.InvariantCulture);
        string Bind(string name, object value)
        {
            var parameter = $"@f{n}_{name}";
            Parameters[parameter] = value;
            return parameter;
        }
        return filter.Operator switch
        {
            FilterOperator.Between => $"{Numeric(alias)} BETWEEN {Bind("low", filter.Low!.Value)} AND {Bind("high", filter.High!.Value)}",
            FilterOperator.AtLeast => $"{Numeric(alias)} >= {Bind("low", filter.Low!.Value)}",
            FilterOperator.AtMost => $"{Numeric(alias)} <= {Bind("high", filter.High!.Value)}",
            FilterOperator.Is => $"({alias}.error IS NULL AND {alias}.label = {Bind("label", filter.Label!)})",
            FilterOperator.IsNot => $"({alias}.error IS NULL AND {alias}.label IS NOT NULL AND {alias}.label <> {Bind("label", filter.Label!)})",
            _ => throw new ArgumentOutOfRangeException(nameof(filter), filter.Operator, $"Unknown filter operator on task '{filter.Task}'."),
        };
    }

    private static void Validate(ResultScope scope, ResultQuery query)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(query);
        if (query.Page < 0)
            throw new ArgumentException($"Result query page {query.Page} is negative.", nameof(query));
        if (query.PageSize is < 1 or > MaxPageSize)
            throw new ArgumentException($"Result query page size {query.PageSize} is outside 1..{MaxPageSize}.", nameof(query));

        var tasks = new HashSet<string>(StringComparer.Ordinal);
        foreach (var task in scope.Tasks)
        {
            if (string.IsNullOrWhiteSpace(task.Task) || string.IsNullOrWhiteSpace(task.ModelVersion))
                throw new ArgumentException("A result scope task needs a task name and a model version.", nameof(scope));
            if (!tasks.Add(task.Task))
                throw new ArgumentException($"Task '{task.Task}' appears twice in the result scope.", nameof(scope));
        }

        void RequireTask(string? task, string where)
        {
            if (task is null || !tasks.Contains(task))
                throw new ArgumentException(
                    $"{where} names task '{task}', which is not one of the campaign's tasks ({string.Join(", ", tasks)}).", nameof(query));
        }

        foreach (var filter in query.Filters.IsDefault ? [] : query.Filters)
        {
            PredictionFilters.Validate(filter);
            RequireTask(filter.Task, "A query filter");
        }
        foreach (var filter in scope.CampaignFilters)
        {
            PredictionFilters.Validate(filter);
            RequireTask(filter.Task, "A campaign filter");
        }
        if (query.SortBy == ResultSortKey.Task)
            RequireTask(query.SortTask, "Sorting by task");
    }
}

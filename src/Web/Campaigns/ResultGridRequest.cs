using System.Collections.Immutable;
using DarwinGrid.Grains.Campaigns;

namespace DarwinGrid.Web.Campaigns;

/// <summary>What the results grid asks for: a page, one sort column, and the toolbar's filters.</summary>
/// <param name="SortColumn">One of the <see cref="ResultColumns"/> names, or a task name.</param>
/// <param name="Range">An extra numeric window on one property (the toolbar's filter), or null.</param>
public sealed record ResultGridRequest(
    int Page,
    int PageSize,
    string? SortColumn = null,
    bool Descending = false,
    string? CompositionContains = null,
    bool OnlyPassingFilters = false,
    PropertyFilter? Range = null)
{
    /// <summary>The grain query; without a sort column, the campaign's ranking order.</summary>
    public ResultQuery ToQuery(RankingMode ranking)
    {
        var (key, task, descending) = SortColumn switch
        {
            null or "" => ranking == RankingMode.Pareto ? (ResultSortKey.ParetoRank, (string?)null, false) : (ResultSortKey.Score, null, true),
            ResultColumns.Score => (ResultSortKey.Score, null, Descending),
            ResultColumns.Composition => (ResultSortKey.Composition, null, Descending),
            ResultColumns.ParetoRank => (ResultSortKey.ParetoRank, null, Descending),
            _ => (ResultSortKey.Task, SortColumn, Descending),
        };
        return new ResultQuery(Page, PageSize, key, task, descending,
            Range is null ? ImmutableArray<PropertyFilter>.Empty : [Range],
            OnlyPassingFilters,
            string.IsNullOrWhiteSpace(CompositionContains) ? null : CompositionContains.Trim());
    }
}

/// <summary>Names of the results grid's fixed sort columns (task columns are sorted by task name).</summary>
public static class ResultColumns
{
    public const string Composition = "composition";
    public const string Score = "score";
    public const string ParetoRank = "pareto";
}

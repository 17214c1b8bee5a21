using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using DarwinGrid.Domain.Tasks;
using DarwinGrid.Grains.Storage;

namespace DarwinGrid.Grains.Campaigns;

// Queries over the campaign's results, answered by the results store.
public sealed partial class CampaignGrain
{
    public async Task<ImmutableArray<CandidateResult>> GetTopAsync(int k)
    {
        var definition = RequireDefinition();
        if (k < 1 || k > MaxPageSize)
            throw new ArgumentOutOfRangeException(nameof(k), k, $"Top-k needs 1 ≤ k ≤ {MaxPageSize}.");
        var pareto = definition.Ranking.Mode == RankingMode.Pareto;
        // Ranked by the probability of success, a candidate whose point estimate misses a filter may
        // still be among the likeliest to meet it: all candidates are ranked.
        var success = definition.Ranking.Mode == RankingMode.ProbabilityOfSuccess;
        var query = new ResultQuery(0, k, pareto ? ResultSortKey.ParetoRank : ResultSortKey.Score, Descending: !pareto, OnlyPassingFilters: !success);
        var page = await store.QueryResultsAsync(Id, Scope(definition), query);
        return page.Items;
    }

    public Task<ResultPage> GetResultsAsync(ResultQuery query)
    {
        var definition = RequireDefinition();
        ArgumentNullException.ThrowIfNull(query);
        if (query.Page < 0 || query.PageSize < 1 || query.PageSize > MaxPageSize)
            throw new ArgumentException($"Page {query.Page} of size {query.PageSize}: the page must be ≥ 0 and the size between 1 and {MaxPageSize}.");
        var normalized = query with
        {
            SortTask = query.SortBy == ResultSortKey.Task ? ResolveCampaignTask(definition, query.SortTask, "The sort") : query.SortTask,
            Filters = query.Filters.IsDefault ? [] : [.. query.Filters.Select(f => f with { Task = ResolveCampaignTask(definition, f.Task, "A filter") })],
        };
        return store.QueryResultsAsync(Id, Scope(definition), normalized);
    }

    public IAsyncEnumerable<string> ExportCsvAsync() => ExportLinesAsync();

    // The caller's WithCancellation reaches the enumerator token here.
    private async IAsyncEnumerable<string> ExportLinesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var definition = RequireDefinition();
        yield return ResultCsv.Header(definition.Tasks);
        await foreach (var candidate in store.ReadAllResultsAsync(Id, cancellationToken))
            yield return ResultCsv.Line(candidate, definition.Tasks, S.TaskVersions, definition.Filters);
    }

    private ResultScope Scope(CampaignDefinition definition) => new(
        [.. definition.Tasks.Where(S.TaskVersions.ContainsKey).Select(t => new TaskModel(t, S.TaskVersions[t]))],
        definition.Filters);

    private static string ResolveCampaignTask(CampaignDefinition definition, string? name, string what)
    {
        var task = name is null ? null : TaskAliases.TryResolve(name);
        return task is not null && definition.Tasks.Contains(task.Name)
            ? task.Name
            : throw new ArgumentException($"{what} names '{name}', which is not one of the campaign's tasks ({string.Join(", ", definition.Tasks)}).");
    }
}

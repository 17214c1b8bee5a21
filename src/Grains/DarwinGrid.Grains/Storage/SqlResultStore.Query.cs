using System.Collections.Immutable;
using System.Data.Common;
using System.Runtime.CompilerServices;
using DarwinGrid.Grains.Campaigns;
using DarwinGrid.Grains.Models;
using DarwinGrid.Grains.Ranking;

namespace DarwinGrid.Grains.Storage;

// Paged, sorted, filtered results (the statements are ResultQuerySql's) and the streaming export.
public abstract partial class SqlResultStore
{
    private const int ExportPageSize = 2000;

    public Task<ResultPage> QueryResultsAsync(string campaignId, ResultScope scope, ResultQuery query, CancellationToken cancellationToken = default)
    {
        var sql = new ResultQuerySql(_dialect, scope, query);
        var empty = new ResultPage([], 0, query.Page, query.PageSize);
        return WithExistingCampaignAsync(campaignId, "results query", empty, async (connection, campaignRef, ct) =>
        {
            var total = await Command(connection, sql.CountSql, campaignRef, sql.Parameters).ScalarLongAndDisposeAsync(ct).ConfigureAwait(false);
            var page = await Command(connection, sql.PageSql, campaignRef, sql.Parameters).ListAndDisposeAsync(reader =>
                (Index: reader.GetInt64(0), Input: reader.GetString(1), Composition: reader.GetString(2),
                    Score: PredictionColumns.NullableDouble(reader, 3), Rank: reader.IsDBNull(4) ? (int?)null : reader.GetInt32(4)), ct).ConfigureAwait(false);

            var predictions = await ReadPredictionsAsync(connection, campaignRef, scope.Tasks, page.ConvertAll(p => p.Index), ct).ConfigureAwait(false);
            var items = page.Select(p =>
            {
                var byTask = predictions.TryGetValue(p.Index, out var found) ? found : ImmutableDictionary<string, Prediction>.Empty;
                return new CandidateResult(p.Composition, p.Input, byTask,
                    PredictionFilters.Passes(byTask, scope.CampaignFilters), p.Score, p.Rank, SuccessProbability.OfCampaign(byTask, [.. scope.CampaignFilters]));
            }).ToImmutableArray();
            return new ResultPage(items, total, query.Page, query.PageSize);
        }, cancellationToken);
    }

    /// <summary>The predictions of the given candidates for the scope's tasks, by candidate then task.</summary>
    private async Task<Dictionary<long, ImmutableDictionary<string, Prediction>>> ReadPredictionsAsync(
        DbConnection connection, long campaignRef, IReadOnlyList<TaskModel> tasks, List<long> indexes, CancellationToken cancellationToken)
    {
        var builders = new Dictionary<long, ImmutableDictionary<string, Prediction>.Builder>();
        if (indexes.Count == 0)
            return [];
        var list = _dialect.ListValue(indexes);
        foreach (var task in tasks)
        {
            var rows = await connection.Command($"""
                    SELECT candidate_index, {PredictionColumns.Names} FROM campaign_results
                    WHERE campaign_ref = @campaign AND task = @task AND model_version = @version
                      AND {_dialect.IsIn("candidate_index", "@indexes")};
                    """)
                .With("@campaign", campaignRef).With("@task", task.Task).With("@version", task.ModelVersion).With("@indexes", list)
                .ListAndDisposeAsync(reader => (Index: reader.GetInt64(0), Prediction: PredictionColumns.Read(reader, 1, task.Task, task.ModelVersion)), cancellationToken)
                .ConfigureAwait(false);
            foreach (var (index, prediction) in rows)
            {
                if (!builders.TryGetValue(index, out var builder))
                    builders[index] = builder = ImmutableDictionary.CreateBuilder<string, Prediction>(StringComparer.Ordinal);
                builder[task.Task] = prediction;
            }
        }
        return builders.ToDictionary(b => b.Key, b => b.Value.ToImmutable());
    }

    public async IAsyncEnumerable<StoredCandidate> ReadAllResultsAsync(string campaignId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        RequireCampaignId(campaignId);
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        var after = -1L;
        while (true)
        {
            // Each page is its own short read, so a long export never holds a snapshot or a connection.
            var from = after;
            var page = await _database.RunAsync($"export of campaign '{campaignId}'",
                (connection, ct) => ReadExportPageAsync(connection, campaignId, from, ct), cancellationToken).ConfigureAwait(false);
            foreach (var candidate in page)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return candidate;
            }
            if (page.Count < ExportPageSize)
                yield break;
            after = page[^1].Index;
        }
    }

    private async Task<List<StoredCandidate>> ReadExportPageAsync(DbConnection connection, string campaignId, long after, CancellationToken cancellationToken)
    {
        if (await FindCampaignRefAsync(connection, null, campaignId, cancellationToken).ConfigureAwait(false) is not { } campaignRef)
            return [];

        var page = await connection.Command("""
                SELECT c.candidate_index, c.input, c.composition, s.score, s.pareto_rank
                FROM campaign_candidates c
                LEFT JOIN campaign_scores s ON s.campaign_ref = c.campaign_ref AND s.candidate_index = c.candidate_index
                WHERE c.campaign_ref = @campaign AND c.candidate_index > @after
                ORDER BY c.candidate_index LIMIT @limit;
                """)
            .With("@campaign", campaignRef).With("@after", after).With("@limit", ExportPageSize)
            .ListAndDisposeAsync(reader => new StoredCandidate(reader.GetInt64(0), reader.GetString(1), reader.GetString(2),
                PredictionColumns.NullableDouble(reader, 3), reader.IsDBNull(4) ? null : reader.GetInt32(4), new List<ResultRow>()), cancellationToken)
            .ConfigureAwait(false);
        if (page.Count == 0)
            return page;

        var byIndex = page.ToDictionary(p => p.Index, p => (List<ResultRow>)p.Results);
        var tasks = await connection.Command("SELECT task, model_version FROM campaign_tasks WHERE campaign_ref = @campaign ORDER BY task, model_version;")
            .With("@campaign", campaignRef)
            .ListAndDisposeAsync(reader => new TaskModel(reader.GetString(0), reader.GetString(1)), cancellationToken).ConfigureAwait(false);
        foreach (var task in tasks)
        {
            var results = await connection.Command($"""
                    SELECT candidate_index, {PredictionColumns.Names}, cached FROM campaign_results
                    WHERE campaign_ref = @campaign AND task = @task AND model_version = @version
                      AND candidate_index BETWEEN @first AND @last
                    ORDER BY candidate_index;
                    """)
                .With("@campaign", campaignRef).With("@task", task.Task).With("@version", task.ModelVersion)
                .With("@first", page[0].Index).With("@last", page[^1].Index)
                .ListAndDisposeAsync(reader => new ResultRow(reader.GetInt64(0), PredictionColumns.Read(reader, 1, task.Task, task.ModelVersion),
                    Convert.ToInt64(reader.GetValue(1 + PredictionColumns.Count)) != 0), cancellationToken)
                .ConfigureAwait(false);
            foreach (var row in results)
            {
                if (byIndex.TryGetValue(row.CandidateIndex, out var rows))
                    rows.Add(row);
            }
        }
        return page;
    }
}

using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using DarwinGrid.Grains.Campaigns;
using DarwinGrid.Grains.Models;
using DarwinGrid.Grains.Ranking;
using Npgsql;
using NpgsqlTypes;

namespace DarwinGrid.Grains.Storage;

// Paged, sorted, filtered results and the streaming export (the statements are ResultQuerySql's, as for SQLite).
public sealed partial class PostgreSqlResultStore
{
    private const int ExportPageSize = 2000;

    public Task<ResultPage> QueryResultsAsync(string campaignId, ResultScope scope, ResultQuery query, CancellationToken cancellationToken = default)
    {
        var sql = new ResultQuerySql(PostgreSqlDialect.Instance, scope, query);
        var empty = new ResultPage([], 0, query.Page, query.PageSize);
        return WithExistingCampaignAsync(campaignId, "results query", empty, async (connection, campaignRef, ct) =>
        {
            long total;
            await using (var count = Command(connection, sql.CountSql, campaignRef, sql.Parameters))
                total = (long)(await count.ExecuteScalarAsync(ct).ConfigureAwait(false))!;

            var page = new List<(long Index, string Input, string Composition, double? Score, int? Rank)>();
            await using (var select = Command(connection, sql.PageSql, campaignRef, sql.Parameters))
            await using (var reader = await select.ExecuteReaderAsync(ct).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    page.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2),
                        PredictionColumns.NullableDouble(reader, 3), reader.IsDBNull(4) ? null : reader.GetInt32(4)));
                }
            }

            var predictions = await ReadPredictionsAsync(connection, campaignRef, scope.Tasks, [.. page.Select(p => p.Index)], ct).ConfigureAwait(false);
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
    private static async Task<Dictionary<long, ImmutableDictionary<string, Prediction>>> ReadPredictionsAsync(
        NpgsqlConnection connection, long campaignRef, IReadOnlyList<TaskModel> tasks, long[] indexes, CancellationToken cancellationToken)
    {
        var builders = new Dictionary<long, ImmutableDictionary<string, Prediction>.Builder>();
        if (indexes.Length > 0)
        {
            foreach (var task in tasks)
            {
                await using var command = new NpgsqlCommand($"""
                    SELECT candidate_index, {PredictionColumns.Names} FROM campaign_results
                    WHERE campaign_ref = @campaign AND task = @task AND model_version = @version
                      AND {PostgreSqlDialect.Instance.IsIn("candidate_index", "@indexes")};
                    """, connection);
                command.Parameters.AddWithValue("@campaign", campaignRef);
                command.Parameters.AddWithValue("@task", task.Task);
                command.Parameters.AddWithValue("@version", task.ModelVersion);
                AddArray(command, "@indexes", NpgsqlDbType.Bigint, indexes);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var index = reader.GetInt64(0);
                    if (!builders.TryGetValue(index, out var builder))
                        builders[index] = builder = ImmutableDictionary.CreateBuilder<string, Prediction>(StringComparer.Ordinal);
                    builder[task.Task] = PredictionColumns.Read(reader, 1, task.Task, task.ModelVersion);
                }
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

    private static async Task<List<StoredCandidate>> ReadExportPageAsync(NpgsqlConnection connection, string campaignId, long after, CancellationToken cancellationToken)
    {
        var page = new List<StoredCandidate>();
        if (await FindCampaignRefAsync(connection, null, campaignId, cancellationToken).ConfigureAwait(false) is not { } campaignRef)
            return page;

        await using (var command = new NpgsqlCommand("""
            SELECT c.candidate_index, c.input, c.composition, s.score, s.pareto_rank
            FROM campaign_candidates c
            LEFT JOIN campaign_scores s ON s.campaign_ref = c.campaign_ref AND s.candidate_index = c.candidate_index
            WHERE c.campaign_ref = @campaign AND c.candidate_index > @after
            ORDER BY c.candidate_index LIMIT @limit;
            """, connection))
        {
            command.Parameters.AddWithValue("@campaign", campaignRef);
            command.Parameters.AddWithValue("@after", after);
            command.Parameters.AddWithValue("@limit", ExportPageSize);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                page.Add(new StoredCandidate(reader.GetInt64(0), reader.GetString(1), reader.GetString(2),
                    PredictionColumns.NullableDouble(reader, 3), reader.IsDBNull(4) ? null : reader.GetInt32(4), new List<ResultRow>()));
            }
        }
        if (page.Count == 0)
            return page;

        var byIndex = page.ToDictionary(p => p.Index, p => (List<ResultRow>)p.Results);
        foreach (var task in await ReadCampaignTasksAsync(connection, campaignRef, cancellationToken).ConfigureAwait(false))
        {
            await using var results = new NpgsqlCommand($"""
                SELECT candidate_index, {PredictionColumns.Names}, cached FROM campaign_results
                WHERE campaign_ref = @campaign AND task = @task AND model_version = @version
                  AND candidate_index BETWEEN @first AND @last
                ORDER BY candidate_index;
                """, connection);
            results.Parameters.AddWithValue("@campaign", campaignRef);
            results.Parameters.AddWithValue("@task", task.Task);
            results.Parameters.AddWithValue("@version", task.ModelVersion);
            results.Parameters.AddWithValue("@first", page[0].Index);
            results.Parameters.AddWithValue("@last", page[^1].Index);
            await using var reader = await results.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (byIndex.TryGetValue(reader.GetInt64(0), out var rows))
                {
                    var prediction = PredictionColumns.Read(reader, 1, task.Task, task.ModelVersion);
                    rows.Add(new ResultRow(reader.GetInt64(0), prediction, reader.GetInt16(1 + PredictionColumns.Count) != 0));
                }
            }
        }
        return page;
    }

    private static async Task<List<TaskModel>> ReadCampaignTasksAsync(NpgsqlConnection connection, long campaignRef, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT task, model_version FROM campaign_tasks WHERE campaign_ref = @campaign ORDER BY task, model_version;", connection);
        command.Parameters.AddWithValue("@campaign", campaignRef);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var tasks = new List<TaskModel>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            tasks.Add(new TaskModel(reader.GetString(0), reader.GetString(1)));
        return tasks;
    }
}

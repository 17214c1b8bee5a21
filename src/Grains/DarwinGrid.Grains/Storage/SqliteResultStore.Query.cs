using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using DarwinGrid.Grains.Campaigns;
using DarwinGrid.Grains.Models;
using DarwinGrid.Grains.Ranking;
using Microsoft.Data.Sqlite;

namespace DarwinGrid.Grains.Storage;

// Paged, sorted, filtered results and the streaming export.
public sealed partial class SqliteResultStore
{
    private const int ExportPageSize = 2000;

    public Task<ResultPage> QueryResultsAsync(string campaignId, ResultScope scope, ResultQuery query, CancellationToken cancellationToken = default)
    {
        var sql = new ResultQuerySql(SqliteDialect.Instance, scope, query);
        var empty = new ResultPage([], 0, query.Page, query.PageSize);
        return WithExistingCampaignAsync(campaignId, empty, (connection, campaignRef) =>
        {
            long total;
            using (var count = Command(connection, sql.CountSql, campaignRef, sql.Parameters))
                total = (long)count.ExecuteScalar()!;

            var page = new List<(long Index, string Input, string Composition, double? Score, int? Rank)>();
            using (var select = Command(connection, sql.PageSql, campaignRef, sql.Parameters))
            using (var reader = select.ExecuteReader())
            {
                while (reader.Read())
                {
                    page.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2),
                        PredictionColumns.NullableDouble(reader, 3), reader.IsDBNull(4) ? null : reader.GetInt32(4)));
                }
            }

            var predictions = ReadPredictions(connection, campaignRef, scope.Tasks, page.Select(p => p.Index).ToList());
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
    private static Dictionary<long, ImmutableDictionary<string, Prediction>> ReadPredictions(
        SqliteConnection connection, long campaignRef, IReadOnlyList<TaskModel> tasks, IReadOnlyList<long> indexes)
    {
        var builders = new Dictionary<long, ImmutableDictionary<string, Prediction>.Builder>();
        if (indexes.Count > 0)
        {
            using var command = new BatchCommand(connection, null, $"""
                SELECT candidate_index, {PredictionColumns.Names} FROM campaign_results
                WHERE campaign_ref = @campaign AND task = @task AND model_version = @version
                  AND {SqliteDialect.Instance.IsIn("candidate_index", "@indexes")};
                """, "@campaign", "@task", "@version", "@indexes");
            command.Set(0, campaignRef).Set(3, SqliteDialect.Instance.ListValue(indexes));
            foreach (var task in tasks)
            {
                command.Set(1, task.Task).Set(2, task.ModelVersion);
                using var reader = command.ExecuteReader();
                while (reader.Read())
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
            // Each page is its own short read, so a long export never pins a snapshot or a connection.
            var page = await _database.RunAsync(connection => ReadExportPage(connection, campaignId, after), cancellationToken).ConfigureAwait(false);
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

    private static List<StoredCandidate> ReadExportPage(SqliteConnection connection, string campaignId, long after)
    {
        var page = new List<StoredCandidate>();
        if (FindCampaignRef(connection, null, campaignId) is not { } campaignRef)
            return page;

        using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                SELECT c.candidate_index, c.input, c.composition, s.score, s.pareto_rank
                FROM campaign_candidates c
                LEFT JOIN campaign_scores s ON s.campaign_ref = c.campaign_ref AND s.candidate_index = c.candidate_index
                WHERE c.campaign_ref = @campaign AND c.candidate_index > @after
                ORDER BY c.candidate_index LIMIT @limit;
                """;
            command.Parameters.AddWithValue("@campaign", campaignRef);
            command.Parameters.AddWithValue("@after", after);
            command.Parameters.AddWithValue("@limit", ExportPageSize);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                page.Add(new StoredCandidate(reader.GetInt64(0), reader.GetString(1), reader.GetString(2),
                    PredictionColumns.NullableDouble(reader, 3), reader.IsDBNull(4) ? null : reader.GetInt32(4), new List<ResultRow>()));
            }
        }
        if (page.Count == 0)
            return page;

        var byIndex = page.ToDictionary(p => p.Index, p => (List<ResultRow>)p.Results);
        using var results = new BatchCommand(connection, null, $"""
            SELECT candidate_index, {PredictionColumns.Names}, cached FROM campaign_results
            WHERE campaign_ref = @campaign AND task = @task AND model_version = @version
              AND candidate_index BETWEEN @first AND @last
            ORDER BY candidate_index;
            """, "@campaign", "@task", "@version", "@first", "@last");
        results.Set(0, campaignRef).Set(3, page[0].Index).Set(4, page[^1].Index);
        foreach (var task in ReadCampaignTasks(connection, campaignRef))
        {
            results.Set(1, task.Task).Set(2, task.ModelVersion);
            using var reader = results.ExecuteReader();
            while (reader.Read())
            {
                if (byIndex.TryGetValue(reader.GetInt64(0), out var rows))
                {
                    var prediction = PredictionColumns.Read(reader, 1, task.Task, task.ModelVersion);
                    rows.Add(new ResultRow(reader.GetInt64(0), prediction, reader.GetInt64(1 + PredictionColumns.Count) != 0));
                }
            }
        }
        return page;
    }

    private static List<TaskModel> ReadCampaignTasks(SqliteConnection connection, long campaignRef)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT task, model_version FROM campaign_tasks WHERE campaign_ref = @campaign ORDER BY task, model_version;";
        command.Parameters.AddWithValue("@campaign", campaignRef);
        using var reader = command.ExecuteReader();
        var tasks = new List<TaskModel>();
        while (reader.Read())
            tasks.Add(new TaskModel(reader.GetString(0), reader.GetString(1)));
        return tasks;
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, long campaignRef, IReadOnlyDictionary<string, object> parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("@campaign", campaignRef);
        // The count statement has no LIMIT/OFFSET; Microsoft.Data.Sqlite ignores parameters a statement does not use.
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value);
        return command;
    }
}

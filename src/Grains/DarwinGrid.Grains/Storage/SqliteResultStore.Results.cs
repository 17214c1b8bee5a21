using DarwinGrid.Grains.Ranking;

namespace DarwinGrid.Grains.Storage;

// Campaign results, counts rebuilt from them, and ranking scores.
public sealed partial class SqliteResultStore
{
    public Task UpsertResultsAsync(string campaignId, IReadOnlyList<ResultRow> results, CancellationToken cancellationToken = default)
    {
        for (var i = 0; i < (results?.Count ?? 0); i++)
        {
            if (results![i] is not { CandidateIndex: >= 0 } row)
                throw new ArgumentException($"Result {i} of the batch is null or has a negative candidate index.", nameof(results));
            RequirePrediction(row.Prediction, $"Result {i} of the batch", row.CandidateIndex.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        return WriteInBatchesAsync(campaignId, results!, (connection, transaction, campaignRef, rows, from, to) =>
        {
            using (var tasks = new BatchCommand(connection, transaction, """
                INSERT INTO campaign_tasks(campaign_ref, task, model_version) VALUES (@campaign, @task, @version) ON CONFLICT DO NOTHING;
                """, "@campaign", "@task", "@version"))
            {
                tasks.Set(0, campaignRef);
                var seen = new HashSet<(string, string)>();
                for (var i = from; i < to; i++)
                {
                    var prediction = rows[i].Prediction;
                    if (seen.Add((prediction.Task, prediction.ModelVersion)))
                        tasks.Set(1, prediction.Task).Set(2, prediction.ModelVersion).Execute();
                }
            }

            using var command = new BatchCommand(connection, transaction, $"""
                INSERT INTO campaign_results(campaign_ref, task, model_version, candidate_index, {PredictionColumns.Names}, cached)
                VALUES (@campaign, @task, @version, @index, {PredictionColumns.Parameters}, @cached)
                ON CONFLICT(campaign_ref, task, model_version, candidate_index) DO UPDATE SET {PredictionColumns.UpdateFromExcluded}, cached = excluded.cached;
                """, ["@campaign", "@task", "@version", "@index", .. PredictionColumns.ParameterNames, "@cached"]);
            command.Set(0, campaignRef);
            for (var i = from; i < to; i++)
            {
                var row = rows[i];
                command.Set(1, row.Prediction.Task).Set(2, row.Prediction.ModelVersion).Set(3, row.CandidateIndex);
                PredictionColumns.Bind(command, 4, row.Prediction);
                command.Set(4 + PredictionColumns.Count, row.Cached ? 1 : 0).Execute();
            }
        }, cancellationToken);
    }

    public Task<TaskCounts> GetTaskCountsAsync(string campaignId, string task, string? modelVersion = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(task);
        return WithExistingCampaignAsync(campaignId, new TaskCounts(0, 0, 0), (connection, campaignRef) =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"""
                SELECT COUNT(*), COUNT(error), COALESCE(SUM(cached), 0) FROM campaign_results
                WHERE campaign_ref = @campaign AND task = @task {(modelVersion is null ? "" : "AND model_version = @version")};
                """;
            command.Parameters.AddWithValue("@campaign", campaignRef);
            command.Parameters.AddWithValue("@task", task);
            if (modelVersion is not null)
                command.Parameters.AddWithValue("@version", modelVersion);
            using var reader = command.ExecuteReader();
            reader.Read();
            return new TaskCounts(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
        }, cancellationToken);
    }

    public Task<IReadOnlyList<long>> ReadCompletedIndexesAsync(
        string campaignId, TaskModel task, long fromIndex, long toIndexExclusive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        return WithExistingCampaignAsync<IReadOnlyList<long>>(campaignId, [], (connection, campaignRef) =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT candidate_index FROM campaign_results
                WHERE campaign_ref = @campaign AND task = @task AND model_version = @version
                  AND candidate_index >= @from AND candidate_index < @to
                ORDER BY candidate_index;
                """;
            command.Parameters.AddWithValue("@campaign", campaignRef);
            command.Parameters.AddWithValue("@task", task.Task);
            command.Parameters.AddWithValue("@version", task.ModelVersion);
            command.Parameters.AddWithValue("@from", fromIndex);
            command.Parameters.AddWithValue("@to", toIndexExclusive);
            using var reader = command.ExecuteReader();
            var indexes = new List<long>();
            while (reader.Read())
                indexes.Add(reader.GetInt64(0));
            return indexes;
        }, cancellationToken);
    }

    public Task<long> CountResultRowsAsync(string campaignId, CancellationToken cancellationToken = default) =>
        WithExistingCampaignAsync(campaignId, 0L, (connection, campaignRef) =>
            ScalarLong(connection, "SELECT COUNT(*) FROM campaign_results WHERE campaign_ref = @campaign;", campaignRef), cancellationToken);

    public Task<IReadOnlyList<ResultKey>> FindDuplicateResultKeysAsync(string campaignId, CancellationToken cancellationToken = default) =>
        WithExistingCampaignAsync<IReadOnlyList<ResultKey>>(campaignId, [], (connection, campaignRef) =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT candidate_index, task, model_version FROM campaign_results WHERE campaign_ref = @campaign
                GROUP BY candidate_index, task, model_version HAVING COUNT(*) > 1;
                """;
            command.Parameters.AddWithValue("@campaign", campaignRef);
            using var reader = command.ExecuteReader();
            var keys = new List<ResultKey>();
            while (reader.Read())
                keys.Add(new ResultKey(reader.GetInt64(0), reader.GetString(1), reader.GetString(2)));
            return keys;
        }, cancellationToken);

    public Task UpsertScoresAsync(string campaignId, IReadOnlyList<CandidateScore> scores, CancellationToken cancellationToken = default)
    {
        for (var i = 0; i < (scores?.Count ?? 0); i++)
        {
            if (scores![i] is not { CandidateIndex: >= 0 } score || score.Score is { } s && double.IsNaN(s))
                throw new ArgumentException($"Score {i} of the batch is null, has a negative candidate index or a NaN score.", nameof(scores));
        }
        return WriteInBatchesAsync(campaignId, scores!, (connection, transaction, campaignRef, rows, from, to) =>
        {
            using var command = new BatchCommand(connection, transaction, """
                INSERT INTO campaign_scores(campaign_ref, candidate_index, score, pareto_rank) VALUES (@campaign, @index, @score, @rank)
                ON CONFLICT(campaign_ref, candidate_index) DO UPDATE SET score = excluded.score, pareto_rank = excluded.pareto_rank;
                """, "@campaign", "@index", "@score", "@rank");
            command.Set(0, campaignRef);
            for (var i = from; i < to; i++)
                command.Set(1, rows[i].CandidateIndex).Set(2, rows[i].Score).Set(3, rows[i].ParetoRank).Execute();
        }, cancellationToken);
    }

    public Task ClearScoresAsync(string campaignId, CancellationToken cancellationToken = default) =>
        WithExistingCampaignAsync(campaignId, 0, (connection, campaignRef) =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM campaign_scores WHERE campaign_ref = @campaign;";
            command.Parameters.AddWithValue("@campaign", campaignRef);
            return command.ExecuteNonQuery();
        }, cancellationToken);
}

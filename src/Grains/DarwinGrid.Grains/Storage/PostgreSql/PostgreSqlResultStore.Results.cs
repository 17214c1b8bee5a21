using DarwinGrid.Grains.Ranking;
using Npgsql;
using NpgsqlTypes;

namespace DarwinGrid.Grains.Storage;

// Campaign results, counts rebuilt from them, and ranking scores.
public sealed partial class PostgreSqlResultStore
{
    public Task UpsertResultsAsync(string campaignId, IReadOnlyList<ResultRow> results, CancellationToken cancellationToken = default)
    {
        for (var i = 0; i < (results?.Count ?? 0); i++)
        {
            if (results![i] is not { CandidateIndex: >= 0 } row)
                throw new ArgumentException($"Result {i} of the batch is null or has a negative candidate index.", nameof(results));
            RequirePrediction(row.Prediction, $"Result {i} of the batch", row.CandidateIndex.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        return WriteInBatchesAsync(campaignId, "result upsert", results!, async (connection, transaction, campaignRef, slice, ct) =>
        {
            var rows = LastPerKeyInKeyOrder(slice, r => (r.Prediction.Task, r.Prediction.ModelVersion, r.CandidateIndex), ResultKeyOrder);
            var tasks = rows.Select(r => (r.Prediction.Task, r.Prediction.ModelVersion)).Distinct().ToList();
            await using (var register = new NpgsqlCommand("""
                INSERT INTO campaign_tasks(campaign_ref, task, model_version)
                SELECT @campaign, t.* FROM unnest(@task, @version) AS t ORDER BY 2, 3
                ON CONFLICT DO NOTHING;
                """, connection, transaction))
            {
                register.Parameters.AddWithValue("@campaign", campaignRef);
                AddArray(register, "@task", NpgsqlDbType.Text, tasks.ConvertAll(t => t.Task).ToArray());
                AddArray(register, "@version", NpgsqlDbType.Text, tasks.ConvertAll(t => t.ModelVersion).ToArray());
                await register.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }

            await using var command = new NpgsqlCommand($"""
                INSERT INTO campaign_results(campaign_ref, task, model_version, candidate_index, {PredictionColumns.Names}, cached)
                SELECT @campaign, r.* FROM unnest(@task, @version, @index, {PredictionArrays}, @cached) AS r
                ON CONFLICT (campaign_ref, task, model_version, candidate_index) DO UPDATE SET {PredictionColumns.UpdateFromExcluded}, cached = excluded.cached;
                """, connection, transaction);
            command.Parameters.AddWithValue("@campaign", campaignRef);
            AddArray(command, "@task", NpgsqlDbType.Text, rows.ConvertAll(r => r.Prediction.Task).ToArray());
            AddArray(command, "@version", NpgsqlDbType.Text, rows.ConvertAll(r => r.Prediction.ModelVersion).ToArray());
            AddArray(command, "@index", NpgsqlDbType.Bigint, rows.ConvertAll(r => r.CandidateIndex).ToArray());
            AddPredictionArrays(command, rows.ConvertAll(r => r.Prediction));
            AddArray(command, "@cached", NpgsqlDbType.Smallint, rows.ConvertAll(r => (short)(r.Cached ? 1 : 0)).ToArray());
            await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }, cancellationToken);
    }

    private static readonly IComparer<(string Task, string Version, long Index)> ResultKeyOrder = Comparer<(string Task, string Version, long Index)>.Create((a, b) =>
        string.CompareOrdinal(a.Task, b.Task) is var c1 and not 0 ? c1
        : string.CompareOrdinal(a.Version, b.Version) is var c2 and not 0 ? c2
        : a.Index.CompareTo(b.Index));

    public Task<TaskCounts> GetTaskCountsAsync(string campaignId, string task, string? modelVersion = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(task);
        return WithExistingCampaignAsync(campaignId, "task counts", new TaskCounts(0, 0, 0), async (connection, campaignRef, ct) =>
        {
            await using var command = new NpgsqlCommand($"""
                SELECT COUNT(*), COUNT(error), COALESCE(SUM(cached), 0)::bigint FROM campaign_results
                WHERE campaign_ref = @campaign AND task = @task {(modelVersion is null ? "" : "AND model_version = @version")};
                """, connection);
            command.Parameters.AddWithValue("@campaign", campaignRef);
            command.Parameters.AddWithValue("@task", task);
            if (modelVersion is not null)
                command.Parameters.AddWithValue("@version", modelVersion);
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await reader.ReadAsync(ct).ConfigureAwait(false);
            return new TaskCounts(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
        }, cancellationToken);
    }

    public Task<IReadOnlyList<long>> ReadCompletedIndexesAsync(
        string campaignId, TaskModel task, long fromIndex, long toIndexExclusive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        return WithExistingCampaignAsync<IReadOnlyList<long>>(campaignId, "completed indexes", [], async (connection, campaignRef, ct) =>
        {
            await using var command = new NpgsqlCommand("""
                SELECT candidate_index FROM campaign_results
                WHERE campaign_ref = @campaign AND task = @task AND model_version = @version
                  AND candidate_index >= @from AND candidate_index < @to
                ORDER BY candidate_index;
                """, connection);
            command.Parameters.AddWithValue("@campaign", campaignRef);
            command.Parameters.AddWithValue("@task", task.Task);
            command.Parameters.AddWithValue("@version", task.ModelVersion);
            command.Parameters.AddWithValue("@from", fromIndex);
            command.Parameters.AddWithValue("@to", toIndexExclusive);
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            var indexes = new List<long>();
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
                indexes.Add(reader.GetInt64(0));
            return indexes;
        }, cancellationToken);
    }

    public Task<long> CountResultRowsAsync(string campaignId, CancellationToken cancellationToken = default) =>
        WithExistingCampaignAsync(campaignId, "result count", 0L, (connection, campaignRef, ct) =>
            ScalarLongAsync(connection, "SELECT COUNT(*) FROM campaign_results WHERE campaign_ref = @campaign;", campaignRef, ct), cancellationToken);

    public Task<IReadOnlyList<ResultKey>> FindDuplicateResultKeysAsync(string campaignId, CancellationToken cancellationToken = default) =>
        WithExistingCampaignAsync<IReadOnlyList<ResultKey>>(campaignId, "duplicate check", [], async (connection, campaignRef, ct) =>
        {
            await using var command = new NpgsqlCommand("""
                SELECT candidate_index, task, model_version FROM campaign_results WHERE campaign_ref = @campaign
                GROUP BY candidate_index, task, model_version HAVING COUNT(*) > 1;
                """, connection);
            command.Parameters.AddWithValue("@campaign", campaignRef);
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            var keys = new List<ResultKey>();
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
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
        return WriteInBatchesAsync(campaignId, "score upsert", scores!, async (connection, transaction, campaignRef, slice, ct) =>
        {
            var rows = LastPerKeyInKeyOrder(slice, r => r.CandidateIndex, Comparer<long>.Default);
            await using var command = new NpgsqlCommand("""
                INSERT INTO campaign_scores(campaign_ref, candidate_index, score, pareto_rank)
                SELECT @campaign, r.* FROM unnest(@index, @score, @rank) AS r
                ON CONFLICT (campaign_ref, candidate_index) DO UPDATE SET score = excluded.score, pareto_rank = excluded.pareto_rank;
                """, connection, transaction);
            command.Parameters.AddWithValue("@campaign", campaignRef);
            AddArray(command, "@index", NpgsqlDbType.Bigint, rows.ConvertAll(r => r.CandidateIndex).ToArray());
            AddArray(command, "@score", NpgsqlDbType.Double, rows.ConvertAll(r => r.Score).ToArray());
            AddArray(command, "@rank", NpgsqlDbType.Integer, rows.ConvertAll(r => r.ParetoRank).ToArray());
            await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }, cancellationToken);
    }

    public Task ClearScoresAsync(string campaignId, CancellationToken cancellationToken = default) =>
        WithExistingCampaignAsync(campaignId, "score clear", 0, async (connection, campaignRef, ct) =>
        {
            await using var command = new NpgsqlCommand("DELETE FROM campaign_scores WHERE campaign_ref = @campaign;", connection);
            command.Parameters.AddWithValue("@campaign", campaignRef);
            return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }, cancellationToken);
}

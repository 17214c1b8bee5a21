using DarwinGrid.Grains.Ranking;

namespace DarwinGrid.Grains.Storage;

// Campaign results, counts rebuilt from them, and ranking scores.
public abstract partial class SqlResultStore
{
    private static readonly IComparer<(string Task, string Version, long Index)> ResultKeyOrder = Comparer<(string Task, string Version, long Index)>.Create((a, b) =>
        string.CompareOrdinal(a.Task, b.Task) is var c1 and not 0 ? c1
        : string.CompareOrdinal(a.Version, b.Version) is var c2 and not 0 ? c2
        : a.Index.CompareTo(b.Index));

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
            // Rows are in key order, so the distinct tasks are too (the lock order of concurrent writers).
            var tasks = rows.Select(r => (r.Prediction.Task, r.Prediction.ModelVersion)).Distinct().ToList();
            await _dialect.UpsertAsync(connection, transaction,
                new BulkUpsert("campaign_tasks", "DO NOTHING")
                    .Constant("campaign_ref", campaignRef)
                    .Column("task", tasks.ConvertAll(t => t.Task).ToArray())
                    .Column("model_version", tasks.ConvertAll(t => t.ModelVersion).ToArray()), ct).ConfigureAwait(false);
            await _dialect.UpsertAsync(connection, transaction,
                new BulkUpsert("campaign_results",
                        $"(campaign_ref, task, model_version, candidate_index) DO UPDATE SET {PredictionColumns.UpdateFromExcluded}, cached = excluded.cached")
                    .Constant("campaign_ref", campaignRef)
                    .Column("task", rows.ConvertAll(r => r.Prediction.Task).ToArray())
                    .Column("model_version", rows.ConvertAll(r => r.Prediction.ModelVersion).ToArray())
                    .Column("candidate_index", rows.ConvertAll(r => r.CandidateIndex).ToArray())
                    .Columns(rows.ConvertAll(r => r.Prediction))
                    .Column("cached", rows.ConvertAll(r => (short)(r.Cached ? 1 : 0)).ToArray()), ct).ConfigureAwait(false);
        }, cancellationToken);
    }

    public Task<TaskCounts> GetTaskCountsAsync(string campaignId, string task, string? modelVersion = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(task);
        return WithExistingCampaignAsync(campaignId, "task counts", new TaskCounts(0, 0, 0), async (connection, campaignRef, ct) =>
        {
            var command = connection.Command($"""
                SELECT COUNT(*), COUNT(error), CAST(COALESCE(SUM(cached), 0) AS BIGINT) FROM campaign_results
                WHERE campaign_ref = @campaign AND task = @task {(modelVersion is null ? "" : "AND model_version = @version")};
                """).With("@campaign", campaignRef).With("@task", task);
            if (modelVersion is not null)
                command.With("@version", modelVersion);
            return (await command.ListAndDisposeAsync(reader => new TaskCounts(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2)), ct).ConfigureAwait(false))[0];
        }, cancellationToken);
    }

    public Task<IReadOnlyList<long>> ReadCompletedIndexesAsync(
        string campaignId, TaskModel task, long fromIndex, long toIndexExclusive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        return WithExistingCampaignAsync<IReadOnlyList<long>>(campaignId, "completed indexes", [], async (connection, campaignRef, ct) =>
            await connection.Command("""
                    SELECT candidate_index FROM campaign_results
                    WHERE campaign_ref = @campaign AND task = @task AND model_version = @version
                      AND candidate_index >= @from AND candidate_index < @to
                    ORDER BY candidate_index;
                    """)
                .With("@campaign", campaignRef).With("@task", task.Task).With("@version", task.ModelVersion)
                .With("@from", fromIndex).With("@to", toIndexExclusive)
                .ListAndDisposeAsync(reader => reader.GetInt64(0), ct).ConfigureAwait(false),
            cancellationToken);
    }

    public Task<long> CountResultRowsAsync(string campaignId, CancellationToken cancellationToken = default) =>
        WithExistingCampaignAsync(campaignId, "result count", 0L, (connection, campaignRef, ct) =>
            ScalarLongAsync(connection, "SELECT COUNT(*) FROM campaign_results WHERE campaign_ref = @campaign;", campaignRef, ct), cancellationToken);

    public Task<IReadOnlyList<ResultKey>> FindDuplicateResultKeysAsync(string campaignId, CancellationToken cancellationToken = default) =>
        WithExistingCampaignAsync<IReadOnlyList<ResultKey>>(campaignId, "duplicate check", [], async (connection, campaignRef, ct) =>
            await connection.Command("""
                    SELECT candidate_index, task, model_version FROM campaign_results WHERE campaign_ref = @campaign
                    GROUP BY candidate_index, task, model_version HAVING COUNT(*) > 1;
                    """)
                .With("@campaign", campaignRef)
                .ListAndDisposeAsync(reader => new ResultKey(reader.GetInt64(0), reader.GetString(1), reader.GetString(2)), ct).ConfigureAwait(false),
            cancellationToken);

    public Task UpsertScoresAsync(string campaignId, IReadOnlyList<CandidateScore> scores, CancellationToken cancellationToken = default)
    {
        for (var i = 0; i < (scores?.Count ?? 0); i++)
        {
            if (scores![i] is not { CandidateIndex: >= 0 } score || score.Score is { } s && double.IsNaN(s))
                throw new ArgumentException($"Score {i} of the batch is null, has a negative candidate index or a NaN score.", nameof(scores));
        }
        return WriteInBatchesAsync(campaignId, "score upsert", scores!, (connection, transaction, campaignRef, slice, ct) =>
        {
            var rows = LastPerKeyInKeyOrder(slice, r => r.CandidateIndex, Comparer<long>.Default);
            return _dialect.UpsertAsync(connection, transaction,
                new BulkUpsert("campaign_scores", "(campaign_ref, candidate_index) DO UPDATE SET score = excluded.score, pareto_rank = excluded.pareto_rank")
                    .Constant("campaign_ref", campaignRef)
                    .Column("candidate_index", rows.ConvertAll(r => r.CandidateIndex).ToArray())
                    .Column("score", rows.ConvertAll(r => r.Score).ToArray())
                    .Column("pareto_rank", rows.ConvertAll(r => r.ParetoRank).ToArray()), ct);
        }, cancellationToken);
    }

    public Task ClearScoresAsync(string campaignId, CancellationToken cancellationToken = default) =>
        WithExistingCampaignAsync(campaignId, "score clear", 0, (connection, campaignRef, ct) =>
            connection.Command("DELETE FROM campaign_scores WHERE campaign_ref = @campaign;").With("@campaign", campaignRef).ExecuteAndDisposeAsync(ct),
            cancellationToken);
}

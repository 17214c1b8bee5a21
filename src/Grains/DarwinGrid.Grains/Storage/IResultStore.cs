using DarwinGrid.Grains.Campaigns;
using DarwinGrid.Grains.Models;
using DarwinGrid.Grains.Ranking;

namespace DarwinGrid.Grains.Storage;

/// <summary>
/// The bulk data of campaigns: candidates, rejected inputs, the prediction cache shared by all
/// campaigns, per-candidate results, ranking scores, and paged queries over them. Every write is an
/// idempotent upsert on its natural key, so a batch retried after a crash or timeout never
/// duplicates rows; counts are computed from the stored rows so progress can be rebuilt.
/// Implementations: <see cref="SqliteResultStore"/> (embedded), PostgreSQL (clusters).
/// </summary>
public interface IResultStore
{
    /// <summary>Creates or upgrades the schema; also done on first use.</summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    // Candidates -------------------------------------------------------------------------------

    /// <summary>Stores candidates keyed by (campaign, index); an index stored again is overwritten, not duplicated.</summary>
    Task AppendCandidatesAsync(string campaignId, IReadOnlyList<CandidateRow> candidates, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="count"/> candidates with index ≥ <paramref name="fromIndex"/>, in index order.</summary>
    Task<IReadOnlyList<CandidateRow>> ReadCandidatesAsync(string campaignId, long fromIndex, int count, CancellationToken cancellationToken = default);

    Task<long> CountCandidatesAsync(string campaignId, CancellationToken cancellationToken = default);

    /// <summary>Stores rejected inputs keyed by (campaign, row).</summary>
    Task AppendRejectedAsync(string campaignId, IReadOnlyList<RejectedCandidate> rejected, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="limit"/> rejected inputs with row ≥ <paramref name="fromRow"/>, in row order.</summary>
    Task<IReadOnlyList<RejectedCandidate>> ReadRejectedAsync(string campaignId, long fromRow, int limit, CancellationToken cancellationToken = default);

    Task<long> CountRejectedAsync(string campaignId, CancellationToken cancellationToken = default);

    // Prediction cache (shared across campaigns) ----------------------------------------------

    /// <summary>
    /// The cached predictions among <paramref name="compositions"/> for (task, model version, estimate), keyed by
    /// composition; one query per call. A median answer is not a greedy answer: each estimate has its own entries.
    /// </summary>
    Task<IReadOnlyDictionary<string, Prediction>> GetCachedPredictionsAsync(
        string task, string modelVersion, PredictionEstimate estimate, IReadOnlyCollection<string> compositions, CancellationToken cancellationToken = default);

    /// <summary>Stores predictions keyed by (composition, task, model version, estimate); the caller decides whether failures are worth caching.</summary>
    Task UpsertPredictionsAsync(IReadOnlyList<CachedPrediction> predictions, CancellationToken cancellationToken = default);

    // Results --------------------------------------------------------------------------------

    /// <summary>Stores results keyed by (campaign, candidate index, task, model version); a key written again is overwritten.</summary>
    Task UpsertResultsAsync(string campaignId, IReadOnlyList<ResultRow> results, CancellationToken cancellationToken = default);

    /// <summary>Done / failed / cached counts of a task (one model version, or all when null), computed from the stored rows.</summary>
    Task<TaskCounts> GetTaskCountsAsync(string campaignId, string task, string? modelVersion = null, CancellationToken cancellationToken = default);

    /// <summary>Candidate indexes in [<paramref name="fromIndex"/>, <paramref name="toIndexExclusive"/>) that have a result for (task, model version), ascending.</summary>
    Task<IReadOnlyList<long>> ReadCompletedIndexesAsync(
        string campaignId, TaskModel task, long fromIndex, long toIndexExclusive, CancellationToken cancellationToken = default);

    /// <summary>All result rows of a campaign (every task and version).</summary>
    Task<long> CountResultRowsAsync(string campaignId, CancellationToken cancellationToken = default);

    /// <summary>Result keys stored more than once (must always be empty; a check for tests and repairs).</summary>
    Task<IReadOnlyList<ResultKey>> FindDuplicateResultKeysAsync(string campaignId, CancellationToken cancellationToken = default);

    // Ranking --------------------------------------------------------------------------------

    /// <summary>Stores scores and Pareto ranks keyed by (campaign, candidate index).</summary>
    Task UpsertScoresAsync(string campaignId, IReadOnlyList<CandidateScore> scores, CancellationToken cancellationToken = default);

    /// <summary>Forgets all scores of a campaign (before a full re-rank).</summary>
    Task ClearScoresAsync(string campaignId, CancellationToken cancellationToken = default);

    /// <summary>
    /// One page of candidates with their predictions for the scope's tasks, filtered, sorted and
    /// paged by the store. Sorting: by the key in the requested direction with missing values last,
    /// ties by candidate index. A task's sort or filter value is its numeric value, or the positive
    /// label's probability for classification; failed predictions have none. Filters on a missing
    /// or failed prediction do not pass. <see cref="ResultQuery.CompositionContains"/> is case-sensitive
    /// (element symbols are).
    /// </summary>
    Task<ResultPage> QueryResultsAsync(string campaignId, ResultScope scope, ResultQuery query, CancellationToken cancellationToken = default);

    /// <summary>Every candidate in index order with all its stored results and scores, read page by page.</summary>
    IAsyncEnumerable<StoredCandidate> ReadAllResultsAsync(string campaignId, CancellationToken cancellationToken = default);

    /// <summary>Deletes everything stored for the campaign (not the shared prediction cache).</summary>
    Task DeleteCampaignAsync(string campaignId, CancellationToken cancellationToken = default);
}

using DarwinGrid.Grains.Campaigns;

namespace DarwinGrid.Grains.Storage;

// Candidates and rejected inputs.
public abstract partial class SqlResultStore
{
    public Task AppendCandidatesAsync(string campaignId, IReadOnlyList<CandidateRow> candidates, CancellationToken cancellationToken = default)
    {
        for (var i = 0; i < (candidates?.Count ?? 0); i++)
        {
            var row = candidates![i] ?? throw new ArgumentException($"Candidate {i} of the batch is null.", nameof(candidates));
            if (row.Index < 0 || row.Input is null || string.IsNullOrEmpty(row.Composition))
                throw new ArgumentException(
                    $"Candidate {i} of the batch (index {row.Index}) needs a non-negative index, an input and a composition.", nameof(candidates));
        }
        return WriteInBatchesAsync(campaignId, "candidate append", candidates!, (connection, transaction, campaignRef, slice, ct) =>
        {
            var rows = LastPerKeyInKeyOrder(slice, r => r.Index, Comparer<long>.Default);
            return _dialect.UpsertAsync(connection, transaction,
                new BulkUpsert("campaign_candidates", "(campaign_ref, candidate_index) DO UPDATE SET input = excluded.input, composition = excluded.composition")
                    .Constant("campaign_ref", campaignRef)
                    .Column("candidate_index", rows.ConvertAll(r => r.Index).ToArray())
                    .Column("input", rows.ConvertAll(r => r.Input).ToArray())
                    .Column("composition", rows.ConvertAll(r => r.Composition).ToArray()), ct);
        }, cancellationToken);
    }

    public Task<IReadOnlyList<CandidateRow>> ReadCandidatesAsync(string campaignId, long fromIndex, int count, CancellationToken cancellationToken = default)
    {
        if (count < 0)
            throw new ArgumentOutOfRangeException(nameof(count), count, "The number of candidates to read is negative.");
        return WithExistingCampaignAsync<IReadOnlyList<CandidateRow>>(campaignId, "candidate read", [], async (connection, campaignRef, ct) =>
            await connection.Command("""
                    SELECT candidate_index, input, composition FROM campaign_candidates
                    WHERE campaign_ref = @campaign AND candidate_index >= @from
                    ORDER BY candidate_index LIMIT @count;
                    """)
                .With("@campaign", campaignRef).With("@from", fromIndex).With("@count", count)
                .ListAndDisposeAsync(reader => new CandidateRow(reader.GetInt64(0), reader.GetString(1), reader.GetString(2)), ct).ConfigureAwait(false),
            cancellationToken);
    }

    public Task<long> CountCandidatesAsync(string campaignId, CancellationToken cancellationToken = default) =>
        WithExistingCampaignAsync(campaignId, "candidate count", 0L, (connection, campaignRef, ct) =>
            ScalarLongAsync(connection, "SELECT COUNT(*) FROM campaign_candidates WHERE campaign_ref = @campaign;", campaignRef, ct), cancellationToken);

    public Task AppendRejectedAsync(string campaignId, IReadOnlyList<RejectedCandidate> rejected, CancellationToken cancellationToken = default)
    {
        for (var i = 0; i < (rejected?.Count ?? 0); i++)
        {
            if (rejected![i] is not { Input: not null, Reason: not null })
                throw new ArgumentException($"Rejected candidate {i} of the batch is null or lacks an input or a reason.", nameof(rejected));
        }
        return WriteInBatchesAsync(campaignId, "rejected append", rejected!, (connection, transaction, campaignRef, slice, ct) =>
        {
            var rows = LastPerKeyInKeyOrder(slice, r => r.Row, Comparer<long>.Default);
            return _dialect.UpsertAsync(connection, transaction,
                new BulkUpsert("campaign_rejected", "(campaign_ref, row_number) DO UPDATE SET input = excluded.input, reason = excluded.reason")
                    .Constant("campaign_ref", campaignRef)
                    .Column("row_number", rows.ConvertAll(r => r.Row).ToArray())
                    .Column("input", rows.ConvertAll(r => r.Input).ToArray())
                    .Column("reason", rows.ConvertAll(r => r.Reason).ToArray()), ct);
        }, cancellationToken);
    }

    public Task<IReadOnlyList<RejectedCandidate>> ReadRejectedAsync(string campaignId, long fromRow, int limit, CancellationToken cancellationToken = default)
    {
        if (limit < 0)
            throw new ArgumentOutOfRangeException(nameof(limit), limit, "The number of rejected candidates to read is negative.");
        return WithExistingCampaignAsync<IReadOnlyList<RejectedCandidate>>(campaignId, "rejected read", [], async (connection, campaignRef, ct) =>
            await connection.Command("""
                    SELECT row_number, input, reason FROM campaign_rejected
                    WHERE campaign_ref = @campaign AND row_number >= @from ORDER BY row_number LIMIT @limit;
                    """)
                .With("@campaign", campaignRef).With("@from", fromRow).With("@limit", limit)
                .ListAndDisposeAsync(reader => new RejectedCandidate(reader.GetInt64(0), reader.GetString(1), reader.GetString(2)), ct).ConfigureAwait(false),
            cancellationToken);
    }

    public Task<long> CountRejectedAsync(string campaignId, CancellationToken cancellationToken = default) =>
        WithExistingCampaignAsync(campaignId, "rejected count", 0L, (connection, campaignRef, ct) =>
            ScalarLongAsync(connection, "SELECT COUNT(*) FROM campaign_rejected WHERE campaign_ref = @campaign;", campaignRef, ct), cancellationToken);
}

using DarwinGrid.Grains.Campaigns;

namespace DarwinGrid.Grains.Storage;

// Candidates and rejected inputs.
public sealed partial class SqliteResultStore
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
        return WriteInBatchesAsync(campaignId, candidates!, (connection, transaction, campaignRef, rows, from, to) =>
        {
            using var command = new BatchCommand(connection, transaction, """
                INSERT INTO campaign_candidates(campaign_ref, candidate_index, input, composition)
                VALUES (@campaign, @index, @input, @composition)
                ON CONFLICT(campaign_ref, candidate_index) DO UPDATE SET input = excluded.input, composition = excluded.composition;
                """, "@campaign", "@index", "@input", "@composition");
            command.Set(0, campaignRef);
            for (var i = from; i < to; i++)
                command.Set(1, rows[i].Index).Set(2, rows[i].Input).Set(3, rows[i].Composition).Execute();
        }, cancellationToken);
    }

    public Task<IReadOnlyList<CandidateRow>> ReadCandidatesAsync(string campaignId, long fromIndex, int count, CancellationToken cancellationToken = default)
    {
        if (count < 0)
            throw new ArgumentOutOfRangeException(nameof(count), count, "The number of candidates to read is negative.");
        return WithExistingCampaignAsync<IReadOnlyList<CandidateRow>>(campaignId, [], (connection, campaignRef) =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT candidate_index, input, composition FROM campaign_candidates
                WHERE campaign_ref = @campaign AND candidate_index >= @from
                ORDER BY candidate_index LIMIT @count;
                """;
            command.Parameters.AddWithValue("@campaign", campaignRef);
            command.Parameters.AddWithValue("@from", fromIndex);
            command.Parameters.AddWithValue("@count", count);
            using var reader = command.ExecuteReader();
            var rows = new List<CandidateRow>(Math.Min(count, 10_000));
            while (reader.Read())
                rows.Add(new CandidateRow(reader.GetInt64(0), reader.GetString(1), reader.GetString(2)));
            return rows;
        }, cancellationToken);
    }

    public Task<long> CountCandidatesAsync(string campaignId, CancellationToken cancellationToken = default) =>
        WithExistingCampaignAsync(campaignId, 0L, (connection, campaignRef) =>
            ScalarLong(connection, "SELECT COUNT(*) FROM campaign_candidates WHERE campaign_ref = @campaign;", campaignRef), cancellationToken);

    public Task AppendRejectedAsync(string campaignId, IReadOnlyList<RejectedCandidate> rejected, CancellationToken cancellationToken = default)
    {
        for (var i = 0; i < (rejected?.Count ?? 0); i++)
        {
            if (rejected![i] is not { Input: not null, Reason: not null })
                throw new ArgumentException($"Rejected candidate {i} of the batch is null or lacks an input or a reason.", nameof(rejected));
        }
        return WriteInBatchesAsync(campaignId, rejected!, (connection, transaction, campaignRef, rows, from, to) =>
        {
            using var command = new BatchCommand(connection, transaction, """
                INSERT INTO campaign_rejected(campaign_ref, row_number, input, reason) VALUES (@campaign, @row, @input, @reason)
                ON CONFLICT(campaign_ref, row_number) DO UPDATE SET input = excluded.input, reason = excluded.reason;
                """, "@campaign", "@row", "@input", "@reason");
            command.Set(0, campaignRef);
            for (var i = from; i < to; i++)
                command.Set(1, rows[i].Row).Set(2, rows[i].Input).Set(3, rows[i].Reason).Execute();
        }, cancellationToken);
    }

    public Task<IReadOnlyList<RejectedCandidate>> ReadRejectedAsync(string campaignId, long fromRow, int limit, CancellationToken cancellationToken = default)
    {
        if (limit < 0)
            throw new ArgumentOutOfRangeException(nameof(limit), limit, "The number of rejected candidates to read is negative.");
        return WithExistingCampaignAsync<IReadOnlyList<RejectedCandidate>>(campaignId, [], (connection, campaignRef) =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT row_number, input, reason FROM campaign_rejected
                WHERE campaign_ref = @campaign AND row_number >= @from ORDER BY row_number LIMIT @limit;
                """;
            command.Parameters.AddWithValue("@campaign", campaignRef);
            command.Parameters.AddWithValue("@from", fromRow);
            command.Parameters.AddWithValue("@limit", limit);
            using var reader = command.ExecuteReader();
            var rows = new List<RejectedCandidate>();
            while (reader.Read())
                rows.Add(new RejectedCandidate(reader.GetInt64(0), reader.GetString(1), reader.GetString(2)));
            return rows;
        }, cancellationToken);
    }

    public Task<long> CountRejectedAsync(string campaignId, CancellationToken cancellationToken = default) =>
        WithExistingCampaignAsync(campaignId, 0L, (connection, campaignRef) =>
            ScalarLong(connection, "SELECT COUNT(*) FROM campaign_rejected WHERE campaign_ref = @campaign;", campaignRef), cancellationToken);
}

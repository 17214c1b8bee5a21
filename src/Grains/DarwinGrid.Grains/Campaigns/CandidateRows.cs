using DarwinGrid.Domain.Compositions;
using DarwinGrid.Grains.Storage;

namespace DarwinGrid.Grains.Campaigns;

/// <summary>
/// Turns input rows into stored candidates (numbered in order of acceptance) and rejected rows
/// (numbered by input row), and writes both in chunks. The numbering depends only on the input
/// order, so a second pass over the same input (after a crash) rewrites the same keys.
/// </summary>
public sealed class CandidateRows(IResultStore store, string campaignId, long firstRow, long firstIndex)
{
    public const int ChunkSize = 5000;

    private readonly List<CandidateRow> _accepted = new(ChunkSize);
    private readonly List<RejectedCandidate> _rejected = [];

    public long NextRow { get; private set; } = firstRow;
    public long NextIndex { get; private set; } = firstIndex;
    public long Rejected { get; private set; }
    public List<RejectedCandidate> RejectedInThisPass { get; } = [];

    /// <summary>Adds one input row; writes a chunk when enough have gathered.</summary>
    public async Task AddAsync(string? input, CancellationToken cancellationToken)
    {
        var row = NextRow++;
        var text = input ?? "";
        if (CompositionParser.TryParse(text, out var composition, out var error))
        {
            _accepted.Add(new CandidateRow(NextIndex++, text, composition.CanonicalFormula));
        }
        else
        {
            var rejected = new RejectedCandidate(row, text, error.ToString());
            _rejected.Add(rejected);
            if (RejectedInThisPass.Count < 1000)
                RejectedInThisPass.Add(rejected);
            Rejected++;
        }
        if (_accepted.Count >= ChunkSize || _rejected.Count >= ChunkSize)
            await FlushAsync(cancellationToken);
    }

    /// <summary>Adds a candidate that is already a parsed composition (generators).</summary>
    public async Task AddAsync(Composition composition, CancellationToken cancellationToken)
    {
        NextRow++;
        _accepted.Add(new CandidateRow(NextIndex++, composition.CanonicalFormula, composition.CanonicalFormula));
        if (_accepted.Count >= ChunkSize)
            await FlushAsync(cancellationToken);
    }

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_accepted.Count > 0)
            await store.AppendCandidatesAsync(campaignId, [.. _accepted], cancellationToken);
        if (_rejected.Count > 0)
            await store.AppendRejectedAsync(campaignId, [.. _rejected], cancellationToken);
        _accepted.Clear();
        _rejected.Clear();
    }
}

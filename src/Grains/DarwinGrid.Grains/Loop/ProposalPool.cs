using DarwinGrid.Domain.Acquisition;
using DarwinGrid.Domain.Compositions;
using DarwinGrid.Grains.Campaigns;
using DarwinGrid.Grains.Models;
using DarwinGrid.Grains.Storage;

namespace DarwinGrid.Grains.Loop;

/// <summary>
/// Scores every candidate of a campaign as its results stream by, keeping the best
/// <see cref="LoopLimits.MaxPool"/> (ties by candidate order) for the diversity-penalised pick.
/// Candidates already measured (any task) and candidates without a usable prediction are left out.
/// </summary>
public sealed class ProposalPool(
    ProposalRule rule,
    IReadOnlyDictionary<string, string> versions,
    IReadOnlyList<PropertyFilter> filters,
    Objective? objective,
    double? best,
    IReadOnlySet<string> measured,
    int capacity = LoopLimits.MaxPool)
{
    private readonly PriorityQueue<Entry, (double Score, long Order)> _heap = new(Comparer<(double Score, long Order)>.Create(
        (a, b) => a.Score != b.Score ? a.Score.CompareTo(b.Score) : b.Order.CompareTo(a.Order))); // the root is the worst kept

    public long Considered { get; private set; }

    public int ExcludedMeasured { get; private set; }

    public void Add(StoredCandidate candidate)
    {
        if (measured.Contains(candidate.Composition))
        {
            ExcludedMeasured++;
            return;
        }
        var predictions = CurrentPredictions.Of(candidate, versions);
        if (AcquisitionScoring.Score(rule, predictions, filters, objective, best) is not { } score || !double.IsFinite(score))
            return;
        Considered++;
        var key = (score, candidate.Index);
        if (_heap.Count < capacity)
            _heap.Enqueue(new Entry(candidate, predictions, score), key);
        else if (_heap.TryPeek(out _, out var worst) && (score > worst.Score || (score == worst.Score && candidate.Index < worst.Order)))
            _heap.EnqueueDequeue(new Entry(candidate, predictions, score), key);
    }

    /// <summary>The batch: the kept candidates best first, then picked with the diversity penalty.</summary>
    public IReadOnlyList<ProposedCandidate> Pick(int count, double diversity)
    {
        var kept = _heap.UnorderedItems.Select(i => i.Element)
            .OrderByDescending(e => e.Score).ThenBy(e => e.Candidate.Index).ToList();
        var scored = kept.Select(e => new ScoredCandidate(e.Candidate.Index.ToString(System.Globalization.CultureInfo.InvariantCulture),
            CompositionParser.Parse(e.Candidate.Composition), e.Score)).ToList();
        var byId = kept.ToDictionary(e => e.Candidate.Index.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return [.. DiverseBatchSelector.Select(scored, count, diversity).Select((pick, i) =>
        {
            var entry = byId[pick.Candidate.Id];
            return new ProposedCandidate(i + 1, entry.Candidate.Composition, entry.Candidate.Input, pick.Candidate.Score, pick.MaxSimilarity,
                filters.Count == 0 ? null : Ranking.SuccessProbability.Of(entry.Predictions, filters),
                [.. entry.Predictions.Values.OrderBy(p => p.Task, StringComparer.Ordinal).Select(PredictionSummaries.Of).OfType<PredictedSummary>()]);
        })];
    }

    private sealed record Entry(StoredCandidate Candidate, Dictionary<string, Prediction> Predictions, double Score);
}

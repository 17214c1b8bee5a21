using DarwinGrid.Domain.Acquisition;
using DarwinGrid.Domain.Compositions;
using DarwinGrid.Domain.Datasets;
using DarwinGrid.Domain.Predictions;

namespace DarwinGrid.Evaluation.Loop;

/// <summary>
/// Plays the lab's loop against data the model never saw: each round a strategy picks a batch
/// from the pool's unmeasured candidates, the "measurement" reveals their true values, and the
/// loop strategy lets the model learn from everything measured so far before the next screening.
/// All strategies see the same pool and seed.
/// </summary>
public sealed class VirtualLab(IReadOnlyList<PoolRecord> pool, VirtualLabSettings settings)
{
    private readonly VirtualLabSettings _settings = settings.Validated();
    private readonly HitSet _hits = HitSet.Of(pool, settings.Goal, settings.Target, settings.HitShare);
    private readonly Dictionary<string, Composition> _compositions =
        pool.ToDictionary(r => r.Composition, r => CompositionParser.Parse(r.Composition), StringComparer.Ordinal);
    private readonly Dictionary<string, PoolRecord> _records = pool.ToDictionary(r => r.Composition, StringComparer.Ordinal);

    public HitSet Hits => _hits;

    public async Task<VirtualLabRun> RunAsync(LoopStrategy strategy, ILabSurrogate surrogate, CancellationToken cancellationToken = default)
    {
        var measured = new List<PoolRecord>();
        var taken = new HashSet<string>(StringComparer.Ordinal);
        var rounds = new List<LabRound>();
        var random = new DeterministicShuffle(_settings.Seed);
        IReadOnlyList<string>? greedyOrder = null;
        var cumulative = 0;
        for (var round = 1; round <= _settings.Rounds; round++)
        {
            var open = pool.Where(r => !taken.Contains(r.Composition)).ToList();
            if (open.Count == 0) break;
            var version = surrogate.Version;
            IReadOnlyList<string> batch = strategy switch
            {
                LoopStrategy.Random => RandomBatch(open, random),
                LoopStrategy.Greedy => (greedyOrder ??= await GreedyOrderAsync(surrogate, cancellationToken))
                    .Where(c => !taken.Contains(c)).Take(_settings.BatchSize).ToList(),
                _ => await AcquisitionBatchAsync(open, measured, surrogate, cancellationToken),
            };
            foreach (var composition in batch)
            {
                taken.Add(composition);
                measured.Add(_records[composition]);
            }
            var hits = batch.Count(_hits.Compositions.Contains);
            cumulative += hits;
            rounds.Add(new LabRound(round, batch, hits, cumulative, version));
            if (strategy == LoopStrategy.Loop && round < _settings.Rounds)
                await surrogate.UpdateAsync(measured, cancellationToken);
        }
        return new VirtualLabRun(strategy, rounds, _hits.Compositions.Count);
    }

    private List<string> RandomBatch(List<PoolRecord> open, DeterministicShuffle random)
    {
        var order = open.Select(r => r.Composition).ToList();
        random.Shuffle(order);
        return order.Take(_settings.BatchSize).ToList();
    }

    /// <summary>The whole pool by its median prediction, best first; failed predictions last (in pool order).</summary>
    private async Task<IReadOnlyList<string>> GreedyOrderAsync(ILabSurrogate surrogate, CancellationToken cancellationToken)
    {
        var compositions = pool.Select(r => r.Composition).ToList();
        var predictions = await surrogate.PredictAsync(compositions, cancellationToken);
        return compositions
            .Select((c, i) => (c, i, badness: predictions[i] is { } d ? Badness(d.Median) : double.PositiveInfinity))
            .OrderBy(x => x.badness).ThenBy(x => x.i)
            .Select(x => x.c).ToList();
    }

    private async Task<IReadOnlyList<string>> AcquisitionBatchAsync(
        List<PoolRecord> open, List<PoolRecord> measured, ILabSurrogate surrogate, CancellationToken cancellationToken)
    {
        var compositions = open.Select(r => r.Composition).ToList();
        var predictions = await surrogate.PredictAsync(compositions, cancellationToken);
        // Before anything is measured the incumbent is the best predicted median, as Bayesian
        // optimisation does with a noiseless posterior mean.
        var best = measured.Count > 0
            ? ImprovementScores.BestMeasured(measured.Select(m => m.Value), _settings.Goal, _settings.Target)
            : ImprovementScores.BestMeasured(predictions.OfType<NumericDistribution>().Select(d => d.Median).DefaultIfEmpty(0), _settings.Goal, _settings.Target);
        var scored = new List<ScoredCandidate>(compositions.Count);
        for (var i = 0; i < compositions.Count; i++)
        {
            if (predictions[i] is not { } distribution) continue;
            scored.Add(new ScoredCandidate(compositions[i], _compositions[compositions[i]], Score(distribution, best)));
        }
        var picks = DiverseBatchSelector.Select(scored, _settings.BatchSize, _settings.DiversityWeight).Select(p => p.Candidate.Id).ToList();
        // Candidates the model failed on still fill a batch the scored ones cannot.
        picks.AddRange(compositions.Where(c => !picks.Contains(c)).Take(_settings.BatchSize - picks.Count));
        return picks;
    }

    private double Score(NumericDistribution distribution, double best) => _settings.Rule switch
    {
        AcquisitionRule.Ei => ImprovementScores.ExpectedImprovement(distribution, _settings.Goal, best, _settings.Target),
        AcquisitionRule.Ucb => ImprovementScores.UpperConfidenceBound(distribution, _settings.Goal, _settings.Target),
        _ => ImprovementScores.ProbabilityOfImprovement(distribution, _settings.Goal, best, _settings.Target),
    };

    private double Badness(double value) => GoalOrder.Badness(_settings.Goal, _settings.Target, value);
}

using DarwinGrid.Grains.Campaigns;
using DarwinGrid.Grains.Models;

namespace DarwinGrid.Grains.Ranking;

/// <summary>One candidate's predictions by task, as the ranking reads them.</summary>
public sealed record RankingInput(long CandidateIndex, IReadOnlyDictionary<string, Prediction> Predictions);

/// <summary>
/// Scores and Pareto-ranks a campaign's candidates for a <see cref="RankingSpec"/>.
/// <para>Each objective reads one number per candidate: a regression value, or for classification
/// the probability of <see cref="Objective.Label"/> (from the label probabilities) or, without a
/// label, of the positive label. The goal orients it so higher is better: Maximize v, Minimize −v,
/// Target −|v − target|.</para>
/// <para>Weighted score: each objective is normalised over the campaign's values (min-max to
/// [0, 1]; all equal → 1); an objective read from probabilities is already on [0, 1] and used as
/// is (Minimize → 1 − p, Target → 1 − |p − target|). Score = Σ wᵢ·nᵢ / Σ wᵢ.</para>
/// <para>Pareto: non-dominated sorting of the oriented values when there are two or more
/// objectives. A candidate missing an objective (no prediction, or a failed one) gets neither.</para>
/// <para>Probability of success: the score is P(every filter met) (<see cref="SuccessProbability"/>);
/// objectives are not needed and not used, filters are.</para>
/// </summary>
public sealed class RankingCalculator
{
    private readonly RankingSpec _spec;
    private readonly Objective[] _objectives;
    private readonly PropertyFilter[] _filters;
    private readonly double _weightSum;

    /// <param name="filters">The campaign's filters: what <see cref="RankingMode.ProbabilityOfSuccess"/> ranks by.</param>
    public RankingCalculator(RankingSpec spec, IEnumerable<PropertyFilter>? filters = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        _objectives = spec.Objectives.IsDefaultOrEmpty ? [] : [.. spec.Objectives];
        _filters = filters is null ? [] : [.. filters];
        _spec = spec;
        if (spec.Mode == RankingMode.ProbabilityOfSuccess)
        {
            if (_filters.Length == 0)
                throw new ArgumentException("Ranking by the probability of success needs at least one filter: it ranks by P(every filter met).", nameof(filters));
            foreach (var filter in _filters)
                PredictionFilters.Validate(filter);
            return;
        }
        if (!Enum.IsDefined(spec.Mode))
            throw new ArgumentException($"Unknown ranking mode {(int)spec.Mode}.", nameof(spec));
        if (_objectives.Length == 0)
            throw new ArgumentException("The ranking has no objectives.", nameof(spec));
        if (spec.Mode == RankingMode.Pareto && _objectives.Length < 2)
            throw new ArgumentException($"Pareto ranking needs two or more objectives, got {_objectives.Length}.", nameof(spec));
        foreach (var objective in _objectives)
        {
            if (string.IsNullOrWhiteSpace(objective.Task))
                throw new ArgumentException("An objective has no task.", nameof(spec));
            if (objective.Goal == ObjectiveGoal.Target && (objective.Target is not { } target || !double.IsFinite(target)))
                throw new ArgumentException($"Objective on '{objective.Task}' has goal Target but no finite target value.", nameof(spec));
            if (!double.IsFinite(objective.Weight) || objective.Weight < 0)
                throw new ArgumentException($"Objective on '{objective.Task}' has weight {objective.Weight}; weights must be finite and ≥ 0.", nameof(spec));
            if (!Enum.IsDefined(objective.Goal))
                throw new ArgumentException($"Objective on '{objective.Task}' has unknown goal {(int)objective.Goal}.", nameof(spec));
        }
        _weightSum = _objectives.Sum(o => o.Weight);
        if (_weightSum <= 0)
            throw new ArgumentException("All objective weights are zero.", nameof(spec));
    }

    public RankingSpec Spec => _spec;

    /// <summary>Whether the candidate's predictions pass every filter (see <see cref="PredictionFilters"/>).</summary>
    public static bool PassesFilters(IReadOnlyDictionary<string, Prediction> predictions, IEnumerable<PropertyFilter> filters) =>
        PredictionFilters.Passes(predictions, filters);

    /// <summary>The objective's number for one prediction before orientation, or null when there is none.</summary>
    public static ObjectiveReading? Read(Objective objective, Prediction? prediction)
    {
        if (prediction is null || prediction.Error is not null)
            return null;
        if (objective.Label is { } label)
        {
            return prediction.LabelProbabilities is { } probabilities && probabilities.TryGetValue(label, out var p) && double.IsFinite(p)
                ? new ObjectiveReading(p, IsProbability: true)
                : null;
        }
        if (prediction.Value is { } value && double.IsFinite(value))
            return new ObjectiveReading(value, IsProbability: false);
        if (prediction.Probability is { } probability && double.IsFinite(probability))
            return new ObjectiveReading(probability, IsProbability: true);
        return null;
    }

    /// <summary>Scores every candidate; the result has one entry per input, in input order.</summary>
    public IReadOnlyList<CandidateScore> Rank(IEnumerable<RankingInput> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        if (_spec.Mode == RankingMode.ProbabilityOfSuccess)
            return [.. candidates.Select(c => new CandidateScore(c.CandidateIndex, SuccessProbability.Of(c.Predictions, _filters), null))];
        var indexes = new List<long>();
        var oriented = new List<double[]?>();
        var allProbabilities = new bool[_objectives.Length];
        Array.Fill(allProbabilities, true);

        foreach (var candidate in candidates)
        {
            indexes.Add(candidate.CandidateIndex);
            var row = new double[_objectives.Length];
            for (var i = 0; i < _objectives.Length; i++)
            {
                var objective = _objectives[i];
                candidate.Predictions.TryGetValue(objective.Task, out var prediction);
                if (Read(objective, prediction) is not { } reading)
                {
                    row = null;
                    break;
                }
                allProbabilities[i] &= reading.IsProbability;
                row[i] = Orient(objective, reading.Value);
            }
            oriented.Add(row);
        }

        var scores = WeightedScores(oriented, allProbabilities);
        var ranks = _objectives.Length >= 2 ? ParetoRanks(oriented) : new int?[oriented.Count];
        var result = new CandidateScore[indexes.Count];
        for (var c = 0; c < result.Length; c++)
            result[c] = new CandidateScore(indexes[c], scores[c], ranks[c]);
        return result;
    }

    private static double Orient(Objective objective, double value) => objective.Goal switch
    {
        ObjectiveGoal.Maximize => value,
        ObjectiveGoal.Minimize => -value,
        ObjectiveGoal.Target => -Math.Abs(value - objective.Target!.Value),
        _ => throw new InvalidOperationException($"Unknown goal {objective.Goal}."),
    };

    private double?[] WeightedScores(List<double[]?> oriented, bool[] allProbabilities)
    {
        var min = new double[_objectives.Length];
        var max = new double[_objectives.Length];
        Array.Fill(min, double.PositiveInfinity);
        Array.Fill(max, double.NegativeInfinity);
        foreach (var row in oriented)
        {
            if (row is null)
                continue;
            for (var i = 0; i < row.Length; i++)
            {
                min[i] = Math.Min(min[i], row[i]);
                max[i] = Math.Max(max[i], row[i]);
            }
        }

        var scores = new double?[oriented.Count];
        for (var c = 0; c < oriented.Count; c++)
        {
            if (oriented[c] is not { } row)
                continue;
            var sum = 0.0;
            for (var i = 0; i < row.Length; i++)
                sum += _objectives[i].Weight * Normalise(i, row[i], min[i], max[i], allProbabilities[i]);
            scores[c] = sum / _weightSum;
        }
        return scores;
    }

    private double Normalise(int objective, double oriented, double min, double max, bool isProbability)
    {
        if (isProbability)
            return _objectives[objective].Goal == ObjectiveGoal.Maximize ? oriented : 1 + oriented;
        return max > min ? (oriented - min) / (max - min) : 1.0;
    }

    private static int?[] ParetoRanks(List<double[]?> oriented)
    {
        var complete = new List<double[]>();
        var positions = new List<int>();
        for (var c = 0; c < oriented.Count; c++)
        {
            if (oriented[c] is { } row)
            {
                complete.Add(row);
                positions.Add(c);
            }
        }
        var ranks = ParetoSorter.Ranks(complete);
        var result = new int?[oriented.Count];
        for (var k = 0; k < ranks.Length; k++)
            result[positions[k]] = ranks[k];
        return result;
    }
}

/// <summary>An objective's raw number for one candidate; probabilities are on [0, 1] and not min-max normalised.</summary>
public readonly record struct ObjectiveReading(double Value, bool IsProbability);

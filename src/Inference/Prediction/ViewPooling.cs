using DarwinGrid.Domain.Predictions;
using DarwinGrid.Domain.Tasks;
using DarwinGrid.Inference.Engine;

namespace DarwinGrid.Inference.Prediction;

/// <summary>
/// Pools the engine's answers to the views of one candidate (<see cref="PredictionOptions.Views"/>)
/// into one answer, which the predictor then reads exactly as it reads a single view's, so the
/// median, mean, quantiles, P(zero) and both intervals all come from the pool. A view that failed
/// (e.g. a number cut short) contributes nothing; when every view failed the first view's answer,
/// with its error, stands. One view is returned as it is.
/// </summary>
public static class ViewPooling
{
    public static EngineResult Pool(PropertyTask task, IReadOnlyList<EngineResult> views)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (views.Count == 0) throw new ArgumentException("Pooling needs at least one view's answer.", nameof(views));
        if (views.Count == 1) return views[0];
        var cost = new RequestCost(views.Sum(v => v.Cost.PromptTokens), views.Sum(v => v.Cost.PromptTokensEvaluated), views.Sum(v => v.Cost.GeneratedTokens));
        var pooled = task.Answer is ClassAnswer ? Labels(views, cost)
            : views.Any(v => v.Distribution is not null) ? Distribution(views, cost)
            : Median(task, views, cost);
        return pooled ?? views[0] with { Cost = cost };
    }

    /// <summary>
    /// The mean of the views' label probabilities, by class index (each view's label texts echo its
    /// own spelling). The predictor applies the calibration's temperature after averaging: the
    /// calibration is fitted on the predictor's uncalibrated answers, which are these averages when
    /// it is fitted with the same views, so the temperature belongs to them, not to single views.
    /// </summary>
    private static EngineResult? Labels(IReadOnlyList<EngineResult> views, RequestCost cost)
    {
        var answered = views.Where(v => v.Error is null && v.Labels is { Count: > 0 }).ToArray();
        if (answered.Length == 0) return null;
        var first = answered[0];
        IReadOnlyList<LabelProbability> mean = [.. first.Labels!.Select((label, i) => label with { Probability = answered.Average(v => v.Labels![i].Probability) })];
        var best = mean.MaxBy(l => l.Probability)!;
        return first with { Text = best.Label, Labels = mean, Cost = cost };
    }

    /// <summary>
    /// Every view's answers in one distribution, each value weighed by probability x covered mass:
    /// for the sampler that is the count of draws that gave it (so the views' samples, greedy
    /// answers included, are simply pooled), for the beam search the probability of the paths found.
    /// </summary>
    private static EngineResult? Distribution(IReadOnlyList<EngineResult> views, RequestCost cost)
    {
        var answered = views.Where(v => v.Error is null && v.Distribution is not null).ToArray();
        if (answered.Length == 0) return null;
        var pooled = NumericDistribution.FromWeighted(
            answered.SelectMany(v => v.Distribution!.Values.Zip(v.Distribution.Probabilities, (value, p) => (value, p * v.Distribution.CoveredMass))),
            answered.Average(v => v.Distribution!.CoveredMass));
        return answered[0] with { Distribution = pooled, Cost = cost };
    }

    /// <summary>
    /// Greedy and free-text answers: the view whose number is the (lower) median of the views'
    /// numbers, so the estimate is an answer the model gave; sampled spreads are pooled.
    /// </summary>
    private static EngineResult? Median(PropertyTask task, IReadOnlyList<EngineResult> views, RequestCost cost)
    {
        var answered = views.Where(v => v.Error is null)
            .Select(v => (View: v, Parsed: task.Answer.Parse(v.Text)))
            .Where(a => a.Parsed.Succeeded)
            .Select(a => (a.View, Value: a.Parsed.Value!.AsNumber()))
            .OrderBy(a => a.Value)
            .ToArray();
        if (answered.Length == 0) return null;
        var median = answered[(answered.Length - 1) / 2].View;
        var spread = answered.Any(a => a.View.Spread is not null)
            ? NumericSpread.Of([.. answered.SelectMany(a => a.View.Spread?.SampleTexts ?? [])])
            : null;
        return median with { Spread = spread, Cost = cost };
    }
}

using DarwinGrid.Grains.Models;

namespace DarwinGrid.Grains.Loop;

/// <summary>A stored prediction as the loop keeps it beside a proposal or a measurement.</summary>
public static class PredictionSummaries
{
    public static PredictedSummary? Of(Prediction? prediction)
    {
        if (prediction is null || prediction.Error is not null)
            return null;
        var distribution = prediction.Distribution is { Values.Length: > 0 and <= LoopLimits.MaxStoredPoints } d ? d : null;
        var median = prediction.Distribution is { Values.IsDefaultOrEmpty: false } full ? full.ToDomain().Median : prediction.Value;
        return new PredictedSummary(prediction.Task, prediction.ModelVersion, median, prediction.Low, prediction.High,
            prediction.Label, prediction.Probability, distribution);
    }
}

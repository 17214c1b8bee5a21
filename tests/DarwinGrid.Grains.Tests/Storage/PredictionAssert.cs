using DarwinGrid.Grains.Models;

namespace DarwinGrid.Grains.Tests.Storage;

/// <summary>Field-by-field prediction comparison (records compare dictionaries by reference).</summary>
public static class PredictionAssert
{
    public static void Same(Prediction expected, Prediction actual)
    {
        Assert.Equal(expected.Task, actual.Task);
        Assert.Equal(expected.ModelVersion, actual.ModelVersion);
        Assert.Equal(expected.Value, actual.Value);
        Assert.Equal(expected.Label, actual.Label);
        Assert.Equal(expected.Probability, actual.Probability);
        Assert.Equal(expected.RawAnswer, actual.RawAnswer);
        Assert.Equal(expected.Error, actual.Error);
        Assert.Equal(expected.Spread, actual.Spread);
        Assert.Equal(
            expected.LabelProbabilities?.OrderBy(p => p.Key, StringComparer.Ordinal).ToList() ?? [],
            actual.LabelProbabilities?.OrderBy(p => p.Key, StringComparer.Ordinal).ToList() ?? []);
    }
}

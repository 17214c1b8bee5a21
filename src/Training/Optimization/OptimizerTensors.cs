namespace DarwinGrid.Training.Optimization;

/// <summary>The trainable tensors and their AdamW first and second moments, by tensor name (F32 values).</summary>
public sealed record OptimizerTensors(
    IReadOnlyDictionary<string, float[]> Parameters,
    IReadOnlyDictionary<string, float[]> FirstMoments,
    IReadOnlyDictionary<string, float[]> SecondMoments)
{
    /// <summary>The first tensor with a NaN or infinite value, or null when all are finite.</summary>
    public string? FirstNonFinite() =>
        new[] { Parameters, FirstMoments, SecondMoments }.SelectMany(t => t)
            .FirstOrDefault(t => !AllFinite(t.Value)).Key;

    internal static bool AllFinite(float[] values)
    {
        foreach (var v in values)
            if (!float.IsFinite(v)) return false;
        return true;
    }
}

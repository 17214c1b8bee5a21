namespace DarwinGrid.Inference.Decoding;

/// <summary>One-pass classification: softmax over the logits of each label's first token only.</summary>
public sealed class LabelScorer(IReadOnlyList<string> labels, IReadOnlyList<int> firstTokens) : ResponseDecoder
{
    private double[]? _probabilities;

    public override IReadOnlyList<double>? Probabilities => _probabilities;

    public override string Text => _probabilities is null ? "" : labels[ArgMax(_probabilities)];

    public override int Step(ReadOnlySpan<float> logits)
    {
        _probabilities = Softmax(logits, firstTokens);
        return Done;
    }

    public static double[] Softmax(ReadOnlySpan<float> logits, IReadOnlyList<int> tokens)
    {
        var max = double.NegativeInfinity;
        foreach (var t in tokens) max = Math.Max(max, logits[t]);
        var result = new double[tokens.Count];
        var total = 0.0;
        for (var i = 0; i < result.Length; i++) total += result[i] = Math.Exp(logits[tokens[i]] - max);
        for (var i = 0; i < result.Length; i++) result[i] /= total;
        return result;
    }

    private static int ArgMax(double[] values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
            if (values[i] > values[best]) best = i;
        return best;
    }
}

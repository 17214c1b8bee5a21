namespace DarwinGrid.Training.Graph;

/// <summary>Additive attention masks: 0 where a query position may attend to a key position, -inf elsewhere.</summary>
public static class AttentionMask
{
    /// <summary>
    /// Fills one row's [T, T] block (query-major: <c>mask[q*T + k]</c>): causal within each segment
    /// of <paramref name="segmentLengths"/> laid out from position 0; positions after the last segment
    /// (padding) only see themselves, so their softmax stays finite.
    /// </summary>
    public static void FillRow(Span<float> rowMask, int tokensPerRow, ReadOnlySpan<int> segmentLengths)
    {
        if (rowMask.Length != tokensPerRow * tokensPerRow)
            throw new ArgumentException($"A row mask for {tokensPerRow} tokens has {tokensPerRow * tokensPerRow} entries, got {rowMask.Length}.");
        rowMask.Fill(float.NegativeInfinity);
        var start = 0;
        foreach (var length in segmentLengths)
        {
            if (start + length > tokensPerRow)
                throw new ArgumentException($"Segments of total length {start + length} do not fit a row of {tokensPerRow} tokens.");
            for (var q = start; q < start + length; q++)
                rowMask.Slice(q * tokensPerRow + start, q - start + 1).Clear();
            start += length;
        }
        for (var q = start; q < tokensPerRow; q++) rowMask[q * tokensPerRow + q] = 0f;
    }

    /// <summary>A plain causal mask for one row of <paramref name="tokens"/> tokens.</summary>
    public static float[] Causal(int tokens)
    {
        var mask = new float[tokens * tokens];
        FillRow(mask, tokens, [tokens]);
        return mask;
    }
}

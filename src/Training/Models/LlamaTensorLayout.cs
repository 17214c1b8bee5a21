namespace DarwinGrid.Training.Models;

/// <summary>A weight of a LLaMA model: GGUF name, ggml-order shape ([in, out] for matrices).</summary>
/// <param name="IsConstant">Part of the model but never trained: LLaMA-3.1's RoPE frequency factors (ggml's RoPE has no gradient for them).</param>
public sealed record LlamaTensorSpec(string Name, long[] Dimensions, bool IsNorm, bool IsConstant = false)
{
    public long ElementCount => Dimensions.Aggregate(1L, (p, d) => p * d);
}

/// <summary>Tensor names exactly as llama.cpp's <c>llama</c> architecture loads them (a block's own: <see cref="LlamaBlockTensor"/>).</summary>
public static class LlamaTensorLayout
{
    public const string TokenEmbedding = "token_embd.weight";
    public const string OutputNorm = "output_norm.weight";
    public const string Output = "output.weight";

    /// <summary>LLaMA-3.1's per-dimension RoPE frequency divisors ([head dimension / 2], F32), shared by every layer.</summary>
    public const string RopeFrequencies = "rope_freqs.weight";

    public static IEnumerable<LlamaTensorSpec> Enumerate(LlamaHyperparameters h)
    {
        long e = h.EmbeddingLength, v = h.VocabSize;
        yield return new(TokenEmbedding, [e, v], false);
        if (h.RopeFrequencyFactors)
            yield return new(RopeFrequencies, [h.HeadDimension / 2], false, IsConstant: true);
        for (var i = 0; i < h.BlockCount; i++)
        {
            foreach (var tensor in LlamaBlockTensor.All)
                yield return new(tensor.In(i), tensor.Shape(h), tensor.IsNorm);
        }
        yield return new(OutputNorm, [e], true);
        if (!h.TiedOutput)
            yield return new(Output, [e, v], false);
    }
}

namespace DarwinGrid.Training.Models;

/// <summary>The shape of a LLaMA-architecture model, as stored under <c>llama.*</c> in a GGUF.</summary>
/// <param name="RopeFrequencyFactors">The model has LLaMA-3.1's <c>rope_freqs</c> tensor, which divides each RoPE frequency (ggml_rope_ext's freq_factors).</param>
public sealed record LlamaHyperparameters(
    int VocabSize,
    int EmbeddingLength,
    int BlockCount,
    int HeadCount,
    int HeadCountKv,
    int FeedForwardLength,
    int ContextLength = 4096,
    float RmsNormEpsilon = 1e-5f,
    float RopeFreqBase = 10000f,
    bool TiedOutput = false,
    bool RopeFrequencyFactors = false)
{
    public int HeadDimension => EmbeddingLength / HeadCount;

    public int KeyValueEmbeddingLength => HeadDimension * HeadCountKv;

    /// <summary>Throws with a message that names the offending value.</summary>
    public LlamaHyperparameters Validated()
    {
        Require(VocabSize > 0, $"vocabulary size must be positive (got {VocabSize})");
        Require(EmbeddingLength > 0, $"embedding length must be positive (got {EmbeddingLength})");
        Require(BlockCount > 0, $"layer count must be positive (got {BlockCount})");
        Require(HeadCount > 0, $"head count must be positive (got {HeadCount})");
        Require(EmbeddingLength % HeadCount == 0, $"embedding length {EmbeddingLength} is not divisible by head count {HeadCount}");
        Require(HeadDimension % 2 == 0, $"head dimension {HeadDimension} must be even for RoPE");
        Require(HeadCountKv > 0 && HeadCount % HeadCountKv == 0, $"KV head count {HeadCountKv} must divide head count {HeadCount}");
        Require(FeedForwardLength > 0, $"feed-forward length must be positive (got {FeedForwardLength})");
        Require(ContextLength > 0, $"context length must be positive (got {ContextLength})");
        Require(RmsNormEpsilon > 0, $"RMS norm epsilon must be positive (got {RmsNormEpsilon})");
        return this;
    }

    public long ParameterCount => LlamaTensorLayout.Enumerate(this).Sum(t => t.ElementCount);

    private static void Require(bool condition, string message)
    {
        if (!condition) throw new ArgumentException($"Invalid model shape: {message}.");
    }
}

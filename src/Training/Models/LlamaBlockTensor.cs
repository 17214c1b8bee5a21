namespace DarwinGrid.Training.Models;

/// <summary>
/// One of the weights every LLaMA block has, spelled once: its GGUF name (<c>blk.N.{Name}.weight</c>),
/// its LoRA target short name and its shape from the hyperparameters. The graph, the GGUF layout and
/// the LoRA targets all read these fields, so none of them spells a tensor name itself.
/// </summary>
/// <param name="Name">The name inside the block, as llama.cpp's <c>llama</c> architecture loads it.</param>
/// <param name="LoraTarget">The short name LoRA options use (q, k, v, o, gate, up, down); null for the norms.</param>
/// <param name="Shape">ggml-order shape: [E] for the norms, [in, out] for the projections.</param>
public sealed record LlamaBlockTensor(string Name, string? LoraTarget, Func<LlamaHyperparameters, long[]> Shape)
{
    public static readonly LlamaBlockTensor AttnNorm = new("attn_norm", null, h => [h.EmbeddingLength]);
    public static readonly LlamaBlockTensor AttnQ = new("attn_q", "q", h => [h.EmbeddingLength, h.EmbeddingLength]);
    public static readonly LlamaBlockTensor AttnK = new("attn_k", "k", h => [h.EmbeddingLength, h.KeyValueEmbeddingLength]);
    public static readonly LlamaBlockTensor AttnV = new("attn_v", "v", h => [h.EmbeddingLength, h.KeyValueEmbeddingLength]);
    public static readonly LlamaBlockTensor AttnOutput = new("attn_output", "o", h => [h.EmbeddingLength, h.EmbeddingLength]);
    public static readonly LlamaBlockTensor FfnNorm = new("ffn_norm", null, h => [h.EmbeddingLength]);
    public static readonly LlamaBlockTensor FfnGate = new("ffn_gate", "gate", h => [h.EmbeddingLength, h.FeedForwardLength]);
    public static readonly LlamaBlockTensor FfnUp = new("ffn_up", "up", h => [h.EmbeddingLength, h.FeedForwardLength]);
    public static readonly LlamaBlockTensor FfnDown = new("ffn_down", "down", h => [h.FeedForwardLength, h.EmbeddingLength]);

    /// <summary>A block's weights in GGUF order.</summary>
    public static readonly IReadOnlyList<LlamaBlockTensor> All = [AttnNorm, AttnQ, AttnK, AttnV, AttnOutput, FfnNorm, FfnGate, FfnUp, FfnDown];

    public bool IsNorm => LoraTarget is null;

    /// <summary>The GGUF name of this weight in block <paramref name="layer"/>, e.g. <c>blk.3.attn_q.weight</c>.</summary>
    public string In(int layer) => $"blk.{layer}.{Name}.weight";
}

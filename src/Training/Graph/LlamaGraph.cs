using DarwinGrid.Training.Models;
using static DarwinGrid.Training.Native.Ggml;

namespace DarwinGrid.Training.Graph;

/// <summary>
/// Builds the forward pass of llama.cpp's <c>llama</c> architecture as ggml operations, one method
/// per block, named after the GGUF tensors they use. The op sequence is the one measured to give
/// llama.cpp's logits bit for bit (flash attention off, F32 KV cache): explicit causal attention,
/// RoPE mode NORM, grouped KV heads through ggml_mul_mat's broadcasting over dimension 2, SwiGLU via
/// <c>swiglu_split</c> (the fused op has no backward pass). Every op used here has a backward pass.
/// With a LoRA adapter, each adapted projection adds <c>scale * B (A x)</c> as llama.cpp's
/// <c>build_lora_mm</c> does, so the trained adapter means the same thing there.
/// </summary>
public sealed class LlamaGraph
{
    private readonly nint _ctx;
    private readonly LlamaModelTensors _model;
    private readonly LlamaHyperparameters _h;
    private readonly LlamaBatchShape _shape;
    private readonly LoraAdapterTensors? _adapter;

    public LlamaGraph(nint context, LlamaModelTensors model, LlamaBatchShape shape, LoraAdapterTensors? adapter = null)
    {
        _ctx = context;
        _model = model;
        _adapter = adapter;
        _h = model.Hyperparameters;
        _shape = shape.Validated();
    }

    /// <summary>Token embedding, all blocks, final norm: the hidden state [E, T*B] the output head reads.</summary>
    public nint Hidden(LlamaGraphInputs inputs)
    {
        var x = TokenEmbedding(inputs.Tokens);
        for (var layer = 0; layer < _h.BlockCount; layer++)
        {
            x = ggml_add(_ctx, x, Attention(layer, AttentionNorm(layer, x), inputs.Positions, inputs.Mask));
            x = ggml_add(_ctx, x, FeedForward(layer, FfnNorm(layer, x)));
        }
        return OutputNorm(x);
    }

    /// <summary><c>token_embd</c>: rows of the embedding matrix (the index must be 1-D).</summary>
    public nint TokenEmbedding(nint tokens) => ggml_get_rows(_ctx, _model[LlamaTensorLayout.TokenEmbedding], tokens);

    /// <summary><c>blk.N.attn_norm</c>.</summary>
    public nint AttentionNorm(int layer, nint x) => RmsNorm(x, _model[LlamaTensorLayout.Block(layer, "attn_norm")]);

    /// <summary><c>blk.N.attn_q/k/v/output</c>: causal multi-head attention with grouped KV heads.</summary>
    public nint Attention(int layer, nint cur, nint positions, nint mask)
    {
        int d = _h.HeadDimension, heads = _h.HeadCount, kvHeads = _h.HeadCountKv, t = _shape.TokensPerRow, b = _shape.Rows;
        var n = _shape.TokenCount;
        var q = ggml_reshape_3d(_ctx, Project(layer, "attn_q", cur), d, heads, n);
        var k = ggml_reshape_3d(_ctx, Project(layer, "attn_k", cur), d, kvHeads, n);
        var v = ggml_reshape_4d(_ctx, Project(layer, "attn_v", cur), d, kvHeads, t, b);

        q = Rope(q, positions);
        k = RepeatKvHeads(ggml_reshape_4d(_ctx, Rope(k, positions), d, kvHeads, t, b));    // [D, H, T, B]
        v = RepeatKvHeads(v);
        q = ggml_permute(_ctx, ggml_reshape_4d(_ctx, q, d, heads, t, b), 0, 2, 1, 3);     // [D, T, H, B]
        k = ggml_permute(_ctx, k, 0, 2, 1, 3);                                             // [D, T, H, B]

        // cont: with a permuted second operand ggml's mul_mat skips sgemm for a dot-product loop ~6x slower.
        var kq = ggml_mul_mat(_ctx, k, ggml_cont(_ctx, q));                                // [Tk, Tq, H, B]
        kq = ggml_soft_max_ext(_ctx, kq, mask, 1f / MathF.Sqrt(d), 0f);
        var vt = ggml_cont(_ctx, ggml_permute(_ctx, v, 1, 2, 0, 3));                      // [T, D, H, B]
        var kqv = ggml_mul_mat(_ctx, vt, kq);                                              // [D, Tq, H, B]
        var merged = ggml_cont_2d(_ctx, ggml_permute(_ctx, kqv, 0, 2, 1, 3), _h.EmbeddingLength, n);
        return Project(layer, "attn_output", merged);
    }

    /// <summary>
    /// Grouped KV heads [D, Hkv, T, B] -> [D, H, T, B] with query head h reading KV head h / (H/Hkv),
    /// as llama.cpp's broadcasting mul_mat does. Explicit because ggml's mul_mat backward cannot
    /// broadcast over dimension 2 when dimension 3 (rows) is larger than 1.
    /// </summary>
    private nint RepeatKvHeads(nint x)
    {
        int d = _h.HeadDimension, kvHeads = _h.HeadCountKv, group = _h.HeadCount / _h.HeadCountKv;
        if (group == 1) return x;
        int t = _shape.TokensPerRow, b = _shape.Rows;
        var spread = ggml_reshape_4d(_ctx, x, d, 1, kvHeads, (long)t * b);
        var repeated = ggml_repeat_4d(_ctx, spread, d, group, kvHeads, (long)t * b);
        return ggml_reshape_4d(_ctx, repeated, d, (long)group * kvHeads, t, b);
    }

    /// <summary><c>blk.N.ffn_norm</c>.</summary>
    public nint FfnNorm(int layer, nint x) => RmsNorm(x, _model[LlamaTensorLayout.Block(layer, "ffn_norm")]);

    /// <summary><c>blk.N.ffn_gate/up/down</c>: SwiGLU.</summary>
    public nint FeedForward(int layer, nint cur)
    {
        var gate = Project(layer, "ffn_gate", cur);
        var up = Project(layer, "ffn_up", cur);
        return Project(layer, "ffn_down", ggml_swiglu_split(_ctx, gate, up));
    }

    /// <summary><c>output_norm</c>.</summary>
    public nint OutputNorm(nint x) => RmsNorm(x, _model[LlamaTensorLayout.OutputNorm]);

    /// <summary><c>output</c> (or <c>token_embd</c> when tied): logits [V, n] for hidden states [E, n].</summary>
    public nint Output(nint hidden) =>
        ggml_mul_mat(_ctx, _model[_h.TiedOutput ? LlamaTensorLayout.TokenEmbedding : LlamaTensorLayout.Output], hidden);

    /// <summary><c>W x</c>, plus <c>scale * B (A x)</c> when the adapter has a pair for W.</summary>
    private nint Project(int layer, string tensor, nint x)
    {
        var name = LlamaTensorLayout.Block(layer, tensor);
        var y = ggml_mul_mat(_ctx, _model[name], x);
        if (_adapter?.Find(name) is not { } lora) return y;
        var delta = ggml_mul_mat(_ctx, lora.B, ggml_mul_mat(_ctx, lora.A, x));
        return ggml_add(_ctx, y, ggml_scale(_ctx, delta, lora.Scale));
    }

    private nint RmsNorm(nint x, nint weight) => ggml_mul(_ctx, ggml_rms_norm(_ctx, x, _h.RmsNormEpsilon), weight);

    /// <summary>RoPE as llama.cpp's llama graph applies it; LLaMA-3.1's rope_freqs divide the frequencies (freq_factors).</summary>
    private nint Rope(nint x, nint positions) => ggml_rope_ext(_ctx, x, positions, _model.Find(LlamaTensorLayout.RopeFrequencies),
        _h.HeadDimension, Native.GgmlRopeMode.Norm, _h.ContextLength, _h.RopeFreqBase,
        freqScale: 1f, extFactor: 0f, attnFactor: 1f, betaFast: 32f, betaSlow: 1f);
}

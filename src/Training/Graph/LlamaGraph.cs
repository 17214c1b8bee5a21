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
/// <c>build_lora_mm</c> does, so the trained adapter means the same thing there. Nodes carry the
/// names llama.cpp's <c>cb()</c> gives them (<c>attn_norm-3</c>, <c>Qcur-3</c>, <c>ffn_out-3</c>, <c>l_out-3</c>,
/// <c>result_output</c>, ...), so a comparison with llama.cpp's activations names the layer and the op.
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
            x = Named(ggml_add(_ctx, x, Attention(layer, AttentionNorm(layer, x), inputs.Positions, inputs.Mask)), "ffn_inp", layer);
            x = Named(ggml_add(_ctx, x, FeedForward(layer, FfnNorm(layer, x))), "l_out", layer);
        }
        return OutputNorm(x);
    }

    /// <summary><c>token_embd</c>: rows of the embedding matrix (the index must be 1-D).</summary>
    public nint TokenEmbedding(nint tokens) => Named(ggml_get_rows(_ctx, _model[LlamaTensorLayout.TokenEmbedding], tokens), "inp_embd");

    /// <summary><c>blk.N.attn_norm</c>.</summary>
    public nint AttentionNorm(int layer, nint x) => Named(RmsNorm(x, Weight(LlamaBlockTensor.AttnNorm, layer)), "attn_norm", layer);

    /// <summary><c>blk.N.attn_q/k/v/output</c>: causal multi-head attention with grouped KV heads.</summary>
    public nint Attention(int layer, nint cur, nint positions, nint mask)
    {
        int d = _h.HeadDimension, heads = _h.HeadCount, kvHeads = _h.HeadCountKv, t = _shape.TokensPerRow, b = _shape.Rows;
        var n = _shape.TokenCount;
        var q = ggml_reshape_3d(_ctx, Named(Project(layer, LlamaBlockTensor.AttnQ, cur), "Qcur", layer), d, heads, n);
        var k = ggml_reshape_3d(_ctx, Named(Project(layer, LlamaBlockTensor.AttnK, cur), "Kcur", layer), d, kvHeads, n);
        var v = ggml_reshape_4d(_ctx, Named(Project(layer, LlamaBlockTensor.AttnV, cur), "Vcur", layer), d, kvHeads, t, b);

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
        var merged = Named(ggml_cont_2d(_ctx, ggml_permute(_ctx, kqv, 0, 2, 1, 3), _h.EmbeddingLength, n), "kqv_out", layer);
        return Named(Project(layer, LlamaBlockTensor.AttnOutput, merged), "attn_out", layer);
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
    public nint FfnNorm(int layer, nint x) => Named(RmsNorm(x, Weight(LlamaBlockTensor.FfnNorm, layer)), "ffn_norm", layer);

    /// <summary><c>blk.N.ffn_gate/up/down</c>: SwiGLU.</summary>
    public nint FeedForward(int layer, nint cur)
    {
        var gate = Named(Project(layer, LlamaBlockTensor.FfnGate, cur), "ffn_gate", layer);
        var up = Named(Project(layer, LlamaBlockTensor.FfnUp, cur), "ffn_up", layer);
        var swiglu = Named(ggml_swiglu_split(_ctx, gate, up), "ffn_swiglu", layer);
        return Named(Project(layer, LlamaBlockTensor.FfnDown, swiglu), "ffn_out", layer);
    }

    /// <summary><c>output_norm</c>.</summary>
    public nint OutputNorm(nint x) => Named(RmsNorm(x, _model[LlamaTensorLayout.OutputNorm]), "result_norm");

    /// <summary><c>output</c> (or <c>token_embd</c> when tied): logits [V, n] for hidden states [E, n].</summary>
    public nint Output(nint hidden) =>
        Named(ggml_mul_mat(_ctx, _model[_h.TiedOutput ? LlamaTensorLayout.TokenEmbedding : LlamaTensorLayout.Output], hidden), "result_output");

    /// <summary><c>W x</c>, plus <c>scale * B (A x)</c> when the adapter has a pair for W.</summary>
    private nint Project(int layer, LlamaBlockTensor tensor, nint x)
    {
        var y = ggml_mul_mat(_ctx, Weight(tensor, layer), x);
        if (_adapter?.Find(tensor.In(layer)) is not { } lora) return y;
        var delta = ggml_mul_mat(_ctx, lora.B, ggml_mul_mat(_ctx, lora.A, x));
        return ggml_add(_ctx, y, ggml_scale(_ctx, delta, lora.Scale));
    }

    private nint Weight(LlamaBlockTensor tensor, int layer) => _model[tensor.In(layer)];

    /// <summary>Names a node as llama.cpp's <c>cb(cur, name, il)</c> does: <c>name-il</c> in a block, <c>name</c> outside.</summary>
    private static nint Named(nint node, string name, int layer = -1)
    {
        ggml_set_name(node, layer >= 0 ? $"{name}-{layer}" : name);
        return node;
    }

    private nint RmsNorm(nint x, nint weight) => ggml_mul(_ctx, ggml_rms_norm(_ctx, x, _h.RmsNormEpsilon), weight);

    /// <summary>RoPE as llama.cpp's llama graph applies it; LLaMA-3.1's rope_freqs divide the frequencies (freq_factors).</summary>
    private nint Rope(nint x, nint positions) => ggml_rope_ext(_ctx, x, positions, _model.Find(LlamaTensorLayout.RopeFrequencies),
        _h.HeadDimension, Native.GgmlRopeMode.Norm, _h.ContextLength, _h.RopeFreqBase,
        freqScale: 1f, extFactor: 0f, attnFactor: 1f, betaFast: 32f, betaSlow: 1f);
}

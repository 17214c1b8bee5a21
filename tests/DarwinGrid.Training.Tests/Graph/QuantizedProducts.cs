using DarwinGrid.Training.Gguf;
using DarwinGrid.Training.Graph;
using DarwinGrid.Training.Models;
using DarwinGrid.Training.Native;
using static DarwinGrid.Training.Native.Ggml;

namespace DarwinGrid.Training.Tests.Graph;

/// <summary>One weight product of the graph compared with llama.cpp's on llama.cpp's own input.</summary>
internal sealed record ProductComparison(string Weight, GgmlType Type, string Input, string Output, double MaxAbsoluteDifference)
{
    public override string ToString() => $"{Weight} ({Type}): {Input} -> {Output} max |Δ| {MaxAbsoluteDifference:E2}";
}

/// <summary>
/// Every weight product of a model file, computed as our graph computes it (ggml_mul_mat of the
/// tensor in its stored type with F32 activations; get_rows for the token embedding) from the very
/// activations llama.cpp fed that product, against llama.cpp's result. Fed the same input, a
/// correctly read Q4_K / Q6_K / Q8_0 tensor gives llama.cpp's product to float rounding. End to end
/// that is not enough: the activations are quantized to 8 bits (Q8_K, Q8_0) before each product, so
/// a 1-ulp difference upstream (another F32 summation order in attention, llama.cpp's repacked
/// kernels) can move one activation by a whole 8-bit step and the logits by ~1e-2.
/// </summary>
internal static class QuantizedProducts
{
    public static List<ProductComparison> Compare(string modelPath, IReadOnlyList<int> tokens, IReadOnlyDictionary<string, float[]> theirs)
    {
        using var backend = GgmlBackendHandle.CreateCpu(2);
        using var model = LlamaModelTensors.Open(backend, modelPath);
        var h = model.Hyperparameters;
        var comparisons = new List<ProductComparison>
        {
            Embedding(backend, model, tokens, Required(theirs, "embd")),
        };
        for (var layer = 0; layer < h.BlockCount; layer++)
        {
            (LlamaBlockTensor Weight, string Input, string Output)[] products =
            [
                (LlamaBlockTensor.AttnQ, "attn_norm", "Qcur"), (LlamaBlockTensor.AttnK, "attn_norm", "Kcur"), (LlamaBlockTensor.AttnV, "attn_norm", "Vcur"),
                (LlamaBlockTensor.AttnOutput, "kqv_out", "attn_out"),
                (LlamaBlockTensor.FfnGate, "ffn_norm", "ffn_gate"), (LlamaBlockTensor.FfnUp, "ffn_norm", "ffn_up"), (LlamaBlockTensor.FfnDown, "ffn_swiglu", "ffn_out"),
            ];
            foreach (var (weight, input, output) in products)
                comparisons.Add(Product(backend, model, weight.In(layer), $"{input}-{layer}", $"{output}-{layer}", theirs));
        }
        var head = h.TiedOutput ? LlamaTensorLayout.TokenEmbedding : LlamaTensorLayout.Output;
        comparisons.Add(Product(backend, model, head, "result_norm", "result_output", theirs));
        return comparisons;
    }

    private static ProductComparison Product(GgmlBackendHandle backend, LlamaModelTensors model, string weight, string input, string output, IReadOnlyDictionary<string, float[]> theirs)
    {
        var x = Required(theirs, input);
        var expected = Required(theirs, output);
        var w = model[weight];
        var inLength = Ggml.ggml_nelements(w) / RowCount(w);
        using var context = GgmlContextHandle.CreateNoAlloc(4, graphs: 1, graphSize: 8);
        var activations = ggml_new_tensor_2d(context.Pointer, GgmlTensorType.F32, inLength, x.Length / inLength);
        var product = ggml_mul_mat(context.Pointer, w, activations);
        var ours = Compute(backend, context, product, () => GgmlTensorData.Set<float>(activations, x));
        return new ProductComparison(weight, model.TypeOf(weight), input, output, MaxAbsoluteDifference(ours, expected, output));
    }

    private static ProductComparison Embedding(GgmlBackendHandle backend, LlamaModelTensors model, IReadOnlyList<int> tokens, float[] expected)
    {
        using var context = GgmlContextHandle.CreateNoAlloc(4, graphs: 1, graphSize: 8);
        var index = ggml_new_tensor_1d(context.Pointer, GgmlTensorType.I32, tokens.Count);
        var rows = ggml_get_rows(context.Pointer, model[LlamaTensorLayout.TokenEmbedding], index);
        var ours = Compute(backend, context, rows, () => GgmlTensorData.Set<int>(index, tokens.ToArray()));
        return new ProductComparison(LlamaTensorLayout.TokenEmbedding, model.TypeOf(LlamaTensorLayout.TokenEmbedding), "tokens", "embd",
            MaxAbsoluteDifference(ours, expected, "embd"));
    }

    private static unsafe long RowCount(nint tensor) => GgmlTensorHeader.Of(tensor)->Ne[1];

    private static float[] Compute(GgmlBackendHandle backend, GgmlContextHandle context, nint result, Action setInputs)
    {
        var graph = ggml_new_graph_custom(context.Pointer, 8, 0);
        ggml_build_forward_expand(graph, result);
        using var buffer = GgmlBufferHandle.AllocateTensors(context, backend);
        setInputs();
        var status = ggml_backend_graph_compute(backend.Pointer, graph);
        if (status != GgmlStatus.Success) throw new InvalidOperationException($"ggml could not compute the product: {status}.");
        return GgmlTensorData.Get<float>(result);
    }

    private static float[] Required(IReadOnlyDictionary<string, float[]> theirs, string name) =>
        theirs.TryGetValue(name, out var values) ? values
            : throw new KeyNotFoundException($"llama.cpp's graph has no activation '{name}' (it has {string.Join(", ", theirs.Keys)}).");

    private static double MaxAbsoluteDifference(float[] ours, float[] theirs, string name)
    {
        if (ours.Length != theirs.Length) throw new InvalidOperationException($"'{name}': ours has {ours.Length} values, llama.cpp's {theirs.Length}.");
        double max = 0;
        for (var i = 0; i < ours.Length; i++) max = Math.Max(max, Math.Abs(ours[i] - theirs[i]));
        return max;
    }
}

using DarwinGrid.Training.Kernels;
using DarwinGrid.Training.Native;
using static DarwinGrid.Training.Native.Ggml;

namespace DarwinGrid.Training.Graph;

/// <summary>
/// Makes the backward pass through a frozen base held in its own type (Q4_K, Q6_K, Q8_0, F16) fast
/// and small. ggml's backward of <c>mul_mat(W, x)</c> gives x's gradient as <c>out_prod(W, gradᵀ)</c>;
/// with a quantized W ggml's CPU out_prod dequantizes all of W once per output row (per token:
/// ~500 full dequantizations of every matrix per step at DARWIN's size), and with an F16 W this
/// build has no out_prod at all. So each such node reads instead an F32 copy of W made by
/// <c>get_rows(W, 0..rows-1)</c> right before it (ggml's own dequantization, the same values its
/// mul_mat uses), which the F32 product kernels then take. The copy is a scheduler temporary that
/// lives from that node to its consumer only: one matrix at a time, never an F32 base. The forward
/// products keep the quantized weight (ggml's kernels, F32 activations quantized on the fly as in
/// llama.cpp). Apply after ggml_build_backward_expand and before the product kernels.
/// </summary>
public static unsafe class FrozenWeightGradients
{
    /// <summary>Rewrites the graph in place; returns how many input-gradient products now read a dequantized copy.</summary>
    public static int Rewrite(nint context, nint graph, LlamaModelTensors model)
    {
        GgmlOp.Check();
        var rewritten = 0;
        for (var i = 0; i < ggml_graph_n_nodes(graph); i++)
        {
            var node = GgmlTensorHeader.Of(ggml_graph_node(graph, i));
            if (node->Op != GgmlOp.OutProd) continue;
            var weight = GgmlTensorHeader.Of(node->Src0);
            if (weight->Type == GgmlTensorType.F32) continue;
            var index = model.RowIndex(weight->Ne[1]);
            if (index == 0 || weight->Ne[2] != 1 || weight->Ne[3] != 1)
                throw new InvalidOperationException($"out_prod reads a {weight->Type} tensor {weight->Shape} that is not a frozen model matrix; cannot dequantize it for the backward pass.");

            var before = ggml_graph_n_nodes(graph);
            var dequantized = ggml_get_rows(context, node->Src0, index);
            ggml_build_forward_expand(graph, dequantized);
            var added = ggml_graph_n_nodes(graph) - before;
            OutProdAsMatMul.MoveTail(graph, added, to: i);
            node->Src0 = dequantized;
            i += added;
            rewritten++;
        }
        return rewritten;
    }
}

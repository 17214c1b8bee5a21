using DarwinGrid.Training.Native;
using static DarwinGrid.Training.Native.Ggml;

namespace DarwinGrid.Training.Kernels;

/// <summary>
/// Rewrites every F32 <c>out_prod</c> node of a built backward graph as a <c>mul_mat</c>. ggml's
/// backward of mul_mat (weight gradients, and the attention products) uses out_prod, which on CPU in
/// this build is a loop of rank-1 vector updates (~40% of a mini-preset training step), while F32
/// mul_mat goes through llamafile's blocked sgemm (in isolation: attention's [32 x 144 x 144] products
/// 10.1 -> 2.2 ms with the copies; weight gradients about even, since both ways are memory-bound there). In ggml's index order
/// <c>out_prod(a, b)[i, j] = sum_k a[i, k] b[j, k]</c> and <c>mul_mat(p, q)[i, j] = sum_k p[k, i] q[k, j]</c>,
/// so <c>out_prod(a, b) = mul_mat(aᵀ, bᵀ)</c>; the transposes are copied contiguous by
/// <see cref="TransposedCopy"/> (sgemm needs a contiguous second operand; ggml's cont is slow on
/// transposes), zero-padded to a contraction length sgemm takes, unless already so, which is the case for the input gradients (<c>out_prod(W, transpose(grad))</c>). A transposed copy is shared by every product that reads the same
/// tensor (q, k and v read one activation). The node keeps its identity, shape and place in the graph,
/// so gradient bookkeeping (accumulators, ggml_graph_get_grad, ggml_graph_reset) is untouched; the new
/// transpose/copy nodes are inserted just before their consumer. Apply after ggml_build_backward_expand
/// and before ggml_graph_dup.
/// </summary>
public static unsafe class OutProdAsMatMul
{
    /// <summary>Rewrites the graph in place; returns how many out_prod nodes became mul_mat.</summary>
    public static int Rewrite(nint context, nint graph)
    {
        GgmlOp.Check();
        var transposed = new Dictionary<(nint, long), nint>();
        var rewritten = 0;
        for (var i = 0; i < ggml_graph_n_nodes(graph); i++)
        {
            var node = GgmlTensorHeader.Of(ggml_graph_node(graph, i));
            if (node->Op != GgmlOp.OutProd || !AllF32(node)) continue;

            var before = ggml_graph_n_nodes(graph);
            var contraction = PaddedForSgemm(GgmlTensorHeader.Of(node->Src0)->Ne[1]);
            var left = ContiguousTranspose(context, node->Src0, contraction, transposed);
            var right = ContiguousTranspose(context, node->Src1, contraction, transposed);
            RequireSameProduct(node, GgmlTensorHeader.Of(left), GgmlTensorHeader.Of(right));
            ggml_build_forward_expand(graph, left);
            ggml_build_forward_expand(graph, right);
            var added = ggml_graph_n_nodes(graph) - before;
            MoveTail(graph, added, to: i);

            node->Src0 = left;
            node->Src1 = right;
            node->Op = GgmlOp.MulMat;
            i += added;
            rewritten++;
        }
        return rewritten;
    }

    private static bool AllF32(GgmlTensorHeader* node) =>
        node->Type == GgmlTensorType.F32 && GgmlTensorHeader.Of(node->Src0)->Type == GgmlTensorType.F32 && GgmlTensorHeader.Of(node->Src1)->Type == GgmlTensorType.F32;

    /// <summary>
    /// llamafile's sgemm takes an F32 product only when its contraction length is a multiple of 16
    /// (AVX-512's width); otherwise ggml falls back to a dot-product loop (the output head's input
    /// gradient contracts over the vocabulary: 2,123 in the built-in one). Zero padding costs a copy
    /// and changes nothing in the sums.
    /// </summary>
    private static long PaddedForSgemm(long length) => (length + 15) / 16 * 16;

    private static nint ContiguousTranspose(nint context, nint tensor, long rowLength, Dictionary<(nint, long), nint> cache)
    {
        if (cache.TryGetValue((tensor, rowLength), out var existing)) return existing;
        var view = ggml_transpose(context, tensor);
        // ggml calls a [1, n] view with any nb[0] contiguous; mul_mat needs unit element strides.
        var header = GgmlTensorHeader.Of(view);
        var usable = ggml_is_contiguous(view) != 0 && header->Nb[0] == sizeof(float) && header->Ne[0] == rowLength;
        var result = usable ? view : TransposedCopy.Of(context, view, rowLength);
        cache[(tensor, rowLength)] = result;
        return result;
    }

    /// <summary>mul_mat's own preconditions plus: its result has exactly the out_prod node's shape.</summary>
    private static void RequireSameProduct(GgmlTensorHeader* node, GgmlTensorHeader* left, GgmlTensorHeader* right)
    {
        var ok = left->Ne[0] == right->Ne[0] && right->Ne[2] % left->Ne[2] == 0 && right->Ne[3] % left->Ne[3] == 0
                 && left->Nb[0] == sizeof(float) && right->Nb[0] == sizeof(float)
                 && node->Ne[0] == left->Ne[1] && node->Ne[1] == right->Ne[1] && node->Ne[2] == right->Ne[2] && node->Ne[3] == right->Ne[3]
                 && node->Nb[0] == sizeof(float) && node->Nb[1] == sizeof(float) * (ulong)node->Ne[0];
        if (!ok)
            throw new InvalidOperationException($"out_prod {node->Shape} cannot be rewritten as mul_mat({left->Shape}, {right->Shape}): shapes or strides disagree.");
    }

    /// <summary>Moves the last <paramref name="count"/> nodes (just appended, in dependency order) to position <paramref name="to"/>.</summary>
    internal static void MoveTail(nint graph, int count, int to)
    {
        if (count == 0) return;
        var nodes = ggml_graph_nodes(graph);
        var n = ggml_graph_n_nodes(graph);
        var tail = new nint[count];
        for (var j = 0; j < count; j++) tail[j] = nodes[n - count + j];
        for (var j = n - count - 1; j >= to; j--) nodes[j + count] = nodes[j];
        for (var j = 0; j < count; j++) nodes[to + j] = tail[j];
    }
}

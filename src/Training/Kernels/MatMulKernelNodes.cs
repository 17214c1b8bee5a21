using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using DarwinGrid.Training.Native;
using static DarwinGrid.Training.Native.Ggml;

namespace DarwinGrid.Training.Kernels;

/// <summary>
/// Runs a built graph's F32 <c>mul_mat</c> and <c>out_prod</c> nodes on <see cref="MatMulKernel"/>
/// instead of ggml's CPU kernels (llamafile's sgemm for mul_mat; a loop of rank-1 updates for
/// out_prod, which is what mul_mat's backward pass uses). Each node becomes a ggml custom op in place:
/// same tensor, shape, sources and position, so gradient bookkeeping (built from the original ops by
/// ggml_build_backward_expand, which must run first) and graph allocation are untouched, and the
/// product is computed on ggml's own threads. out_prod needs no transposed copies: its first operand
/// is already laid out the way the kernel reads it. Nodes the kernel cannot take (other types,
/// non-contiguous results) stay on ggml, as does everything when the CPU lacks AVX-512.
/// </summary>
public static unsafe class MatMulKernelNodes
{
    private const nint MulMatKind = 0, OutProdKind = 1;

    /// <summary>Patches the graph's nodes; returns how many now run on the kernel.</summary>
    public static int Apply(nint context, nint graph)
    {
        if (!MatMulKernel.IsSupported) return 0;
        GgmlOp.Check();
        var mulMat = Template(context, MulMatKind);
        var outProd = Template(context, OutProdKind);
        var patched = 0;
        for (var i = 0; i < ggml_graph_n_nodes(graph); i++)
        {
            var node = GgmlTensorHeader.Of(ggml_graph_node(graph, i));
            var template = node->Op switch { GgmlOp.MulMat => mulMat, GgmlOp.OutProd => outProd, _ => null };
            if (template is null || !Supported(node)) continue;
            node->Op = template->Op;
            Unsafe.CopyBlockUnaligned(node->OpParams, template->OpParams, 64);
            patched++;
        }
        return patched;
    }

    /// <summary>A custom op node whose op and op_params (function, all threads, kind) are copied onto the patched nodes.</summary>
    private static GgmlTensorHeader* Template(nint context, nint kind)
    {
        delegate* unmanaged[Cdecl]<nint, int, int, nint, void> run = &Run;
        var node = GgmlTensorHeader.Of(ggml_custom_4d(context, GgmlTensorType.F32, 1, 1, 1, 1, null, 0, (nint)run, nTasks: -1, userdata: kind));
        if (node->Op != GgmlOp.Custom)
            throw new InvalidOperationException($"ggml_custom_4d made op {node->Op}, not CUSTOM ({GgmlOp.Custom}): the native build differs from LLamaSharp.Backend.Cpu 0.30.0.");
        return node;
    }

    private static bool Supported(GgmlTensorHeader* node)
    {
        var a = GgmlTensorHeader.Of(node->Src0);
        var b = GgmlTensorHeader.Of(node->Src1);
        return node->Type == GgmlTensorType.F32 && a->Type == GgmlTensorType.F32 && b->Type == GgmlTensorType.F32
               && node->Nb[0] == sizeof(float) && node->Nb[1] == sizeof(float) * (ulong)node->Ne[0]
               && node->Nb[2] == node->Nb[1] * (ulong)node->Ne[1] && node->Nb[3] == node->Nb[2] * (ulong)node->Ne[2]
               && node->Ne[2] % a->Ne[2] == 0 && node->Ne[3] % a->Ne[3] == 0
               && b->Ne[2] == node->Ne[2] && b->Ne[3] == node->Ne[3];
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void Run(nint destination, int thread, int threads, nint kind)
    {
        var dst = GgmlTensorHeader.Of(destination);
        var product = MatMulProduct.Of(dst, kind == OutProdKind);
        var scratch = (float*)NativeMemory.AlignedAlloc((nuint)(MatMulKernel.ScratchLength(product.Depth) * sizeof(float)), 64);
        try
        {
            product.Compute(thread, threads, scratch);
        }
        finally
        {
            NativeMemory.AlignedFree(scratch);
        }
    }
}

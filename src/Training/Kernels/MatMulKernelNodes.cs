using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using DarwinGrid.Training.Native;
using static DarwinGrid.Training.Native.Ggml;

namespace DarwinGrid.Training.Kernels;

/// <summary>
/// Runs a built graph's F32 <c>mul_mat</c> and <c>out_prod</c> nodes on <see cref="MatMulKernel{TVector, TOps}"/>
/// instead of ggml's CPU kernels (llamafile's sgemm for mul_mat; a loop of rank-1 updates for
/// out_prod, which is what mul_mat's backward pass uses). Each node becomes a ggml custom op in place:
/// same tensor, shape, sources and position, so gradient bookkeeping (built from the original ops by
/// ggml_build_backward_expand, which must run first) and graph allocation are untouched, and the
/// product is computed on ggml's own threads. out_prod needs no transposed copies: its first operand
/// is already laid out the way the kernel reads it. Nodes the kernel cannot take (other types,
/// non-contiguous results) stay on ggml.
/// </summary>
public static unsafe class MatMulKernelNodes
{
    // The custom op's userdata: the vector width in bits plus this flag for out_prod.
    private const nint OutProdFlag = 1;

    /// <summary>Patches the graph's nodes onto the kernel of <paramref name="width"/>; returns how many now run on it.</summary>
    public static int Apply(nint context, nint graph, KernelWidth width)
    {
        if (!width.IsSupported())
            throw new NotSupportedException($"The {width} product kernel does not run on this CPU (or is beyond the instruction sets this process was limited to).");
        GgmlOp.Check();
        var mulMat = Template(context, (nint)width);
        var outProd = Template(context, (nint)width | OutProdFlag);
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

    /// <summary>A custom op node whose op and op_params (function, all threads, userdata) are copied onto the patched nodes.</summary>
    private static GgmlTensorHeader* Template(nint context, nint userdata)
    {
        delegate* unmanaged[Cdecl]<nint, int, int, nint, void> run = &Run;
        var node = GgmlTensorHeader.Of(ggml_custom_4d(context, GgmlTensorType.F32, 1, 1, 1, 1, null, 0, (nint)run, nTasks: -1, userdata: userdata));
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
    private static void Run(nint destination, int thread, int threads, nint userdata)
    {
        var product = MatMulProduct.Of(GgmlTensorHeader.Of(destination), (userdata & OutProdFlag) != 0);
        switch ((KernelWidth)(userdata & ~OutProdFlag))
        {
            case KernelWidth.Vector512:
                product.Compute<Vector512<float>, Vector512Ops>(thread, threads);
                break;
            case KernelWidth.Vector256:
                product.Compute<Vector256<float>, Vector256Ops>(thread, threads);
                break;
            default:
                product.Compute<Vector128<float>, Vector128Ops>(thread, threads);
                break;
        }
    }
}

namespace DarwinGrid.Training.Kernels;

/// <summary>Which code computes a graph's F32 matrix products: mul_mat and, in backward graphs, out_prod.</summary>
public enum ProductKernel
{
    /// <summary>The widest C# kernel the CPU runs (AVX-512, then AVX2, then 128-bit), otherwise <see cref="GgmlSgemm"/>.</summary>
    Auto,

    /// <summary>The C# kernel on AVX-512 (<see cref="Vector512Ops"/>) for every product.</summary>
    CSharp,

    /// <summary>ggml's sgemm, with out_prod rewritten as mul_mat of transposed copies (<see cref="OutProdAsMatMul"/>).</summary>
    GgmlSgemm,

    /// <summary>ggml's own kernels as they are: out_prod is a loop of rank-1 updates. For comparison.</summary>
    Ggml,

    /// <summary>The C# kernel on AVX2 + FMA (<see cref="Vector256Ops"/>).</summary>
    CSharpAvx2,

    /// <summary>The C# kernel on 128-bit vectors: ARM AdvSimd, or SSE with FMA on x86 (<see cref="Vector128Ops"/>).</summary>
    CSharp128,
}

public static class ProductKernels
{
    private static readonly ProductKernel[] CSharpKernels = [ProductKernel.CSharp, ProductKernel.CSharpAvx2, ProductKernel.CSharp128];

    /// <summary>The kernel <paramref name="kernel"/> means on this CPU.</summary>
    public static ProductKernel Resolve(this ProductKernel kernel) => kernel switch
    {
        ProductKernel.Auto => Widest() switch
        {
            KernelWidth.None => ProductKernel.GgmlSgemm,
            var widest => CSharpKernels.First(k => k.Width() == widest),
        },
        _ when kernel.Width() is var width and not KernelWidth.None && !width.IsSupported() =>
            throw new NotSupportedException(
                $"The {width} C# product kernel needs {width.Requirement()}, which this CPU does not have" +
                (KernelInstructionSets.Limit < width ? $" (or this process was limited to {KernelInstructionSets.Limit})" : "") +
                $"; use auto or ggml-sgemm."),
        _ => kernel,
    };

    /// <summary>The vector width of a C# kernel; <see cref="KernelWidth.None"/> for ggml's and for Auto.</summary>
    public static KernelWidth Width(this ProductKernel kernel) => kernel switch
    {
        ProductKernel.CSharp => KernelWidth.Vector512,
        ProductKernel.CSharpAvx2 => KernelWidth.Vector256,
        ProductKernel.CSharp128 => KernelWidth.Vector128,
        _ => KernelWidth.None,
    };

    /// <summary>The widest vectors with FMA this process may use (the CPU's, capped by <see cref="KernelInstructionSets.Limit"/>).</summary>
    public static KernelWidth Widest() =>
        new[] { KernelWidth.Vector512, KernelWidth.Vector256, KernelWidth.Vector128 }.FirstOrDefault(w => w.IsSupported(), KernelWidth.None);

    public static bool IsSupported(this KernelWidth width) => width switch
    {
        KernelWidth.Vector512 => Vector512Ops.IsSupported,
        KernelWidth.Vector256 => Vector256Ops.IsSupported,
        KernelWidth.Vector128 => Vector128Ops.IsSupported,
        _ => false,
    };

    /// <summary>What a kernel of <paramref name="width"/> needs from the CPU, for messages.</summary>
    public static string Requirement(this KernelWidth width) => width switch
    {
        KernelWidth.Vector512 => "AVX-512F",
        KernelWidth.Vector256 => "AVX2 and FMA",
        KernelWidth.Vector128 => "ARM AdvSimd or x86 FMA",
        _ => "nothing",
    };

    /// <summary>
    /// Puts the graph's products on the chosen kernel. Call after ggml_build_backward_expand (the
    /// backward pass is derived from the original ops) and before ggml_graph_dup of the graph.
    /// </summary>
    public static void Apply(this ProductKernel kernel, nint context, nint graph)
    {
        var resolved = kernel.Resolve();
        if (resolved.Width() is not KernelWidth.None and var width)
            MatMulKernelNodes.Apply(context, graph, width);
        else if (resolved == ProductKernel.GgmlSgemm)
            OutProdAsMatMul.Rewrite(context, graph);
    }
}

namespace DarwinGrid.Training.Kernels;

/// <summary>Which code computes a graph's F32 matrix products: mul_mat and, in backward graphs, out_prod.</summary>
public enum ProductKernel
{
    /// <summary><see cref="CSharp"/> where the CPU has AVX-512, otherwise <see cref="GgmlSgemm"/>.</summary>
    Auto,

    /// <summary><see cref="MatMulKernel"/> for every product (AVX-512 only).</summary>
    CSharp,

    /// <summary>ggml's sgemm, with out_prod rewritten as mul_mat of transposed copies (<see cref="OutProdAsMatMul"/>).</summary>
    GgmlSgemm,

    /// <summary>ggml's own kernels as they are: out_prod is a loop of rank-1 updates. For comparison.</summary>
    Ggml,
}

public static class ProductKernels
{
    /// <summary>The kernel <paramref name="kernel"/> means on this CPU.</summary>
    public static ProductKernel Resolve(this ProductKernel kernel) => kernel switch
    {
        ProductKernel.Auto => MatMulKernel.IsSupported ? ProductKernel.CSharp : ProductKernel.GgmlSgemm,
        ProductKernel.CSharp when !MatMulKernel.IsSupported =>
            throw new NotSupportedException("The C# product kernel needs AVX-512, which this CPU does not have; use the auto or ggml-sgemm kernel."),
        _ => kernel,
    };

    /// <summary>
    /// Puts the graph's products on the chosen kernel. Call after ggml_build_backward_expand (the
    /// backward pass is derived from the original ops) and before ggml_graph_dup of the graph.
    /// </summary>
    public static void Apply(this ProductKernel kernel, nint context, nint graph)
    {
        switch (kernel.Resolve())
        {
            case ProductKernel.CSharp:
                MatMulKernelNodes.Apply(context, graph);
                break;
            case ProductKernel.GgmlSgemm:
                OutProdAsMatMul.Rewrite(context, graph);
                break;
        }
    }
}

using DarwinGrid.Training.Graph;
using DarwinGrid.Training.Kernels;
using DarwinGrid.Training.Models;
using DarwinGrid.Training.Native;
using Xunit.Abstractions;
using static DarwinGrid.Training.Native.Ggml;

namespace DarwinGrid.Training.Tests.Kernels;

/// <summary>
/// Every width of the C# product kernel gives ggml's own mul_mat and out_prod results for every shape
/// and layout the graphs use. A width this CPU lacks is refused instead (x86 runs the 128-bit kernel
/// on SSE + FMA; its ARM AdvSimd form cannot run on an x86 machine).
/// </summary>
public sealed unsafe class MatMulKernelTests(ITestOutputHelper output)
{
    public enum Layout { Contiguous, PermutedFirst, TransposedSecond, Broadcast }

    public static readonly KernelWidth[] Widths = [KernelWidth.Vector512, KernelWidth.Vector256, KernelWidth.Vector128];

    private static readonly object[][] Shapes =
    [
        [128, 128, 1152, Layout.Contiguous, 2],     // the mini preset's projections
        [128, 2123, 416, Layout.Contiguous, 2],     // output head: rows not a multiple of any tile
        [37, 13, 5, Layout.Contiguous, 1],          // every remainder at once
        [37, 70, 29, Layout.Contiguous, 3],         // more threads than units on some slices
        [32, 144, 144, Layout.PermutedFirst, 2],    // attention: permuted keys
        [64, 50, 19, Layout.TransposedSecond, 2],   // a transposed view as second operand
        [48, 20, 12, Layout.Broadcast, 2],          // first operand broadcast over dimension 2 and 3
    ];

    public static TheoryData<int, int, int, Layout, int, KernelWidth> ShapesOnEveryWidth()
    {
        var data = new TheoryData<int, int, int, Layout, int, KernelWidth>();
        foreach (var width in Widths)
        foreach (var s in Shapes)
            data.Add((int)s[0], (int)s[1], (int)s[2], (Layout)s[3], (int)s[4], width);
        return data;
    }

    [Theory]
    [MemberData(nameof(ShapesOnEveryWidth))]
    public void MulMatAndOutProdEqualGgmls(int depth, int rows, int columns, Layout layout, int threads, KernelWidth width)
    {
        using var backend = GgmlBackendHandle.CreateCpu(threads);
        using var context = GgmlContextHandle.CreateNoAlloc(32, graphs: 2, graphSize: 16);
        var ctx = context.Pointer;
        var (a, b, sources) = Operands(ctx, depth, rows, columns, layout);
        // The same products twice: one graph keeps ggml's kernels, the other is patched.
        // ggml's own mul_mat needs unit strides in its second operand; the kernel does not.
        var bForGgml = layout == Layout.TransposedSecond ? ggml_cont(ctx, b) : b;
        var theirs = new[] { ggml_mul_mat(ctx, a, bForGgml), ggml_out_prod(ctx, ggml_cont(ctx, ggml_transpose(ctx, a)), ggml_cont(ctx, ggml_transpose(ctx, b))) };
        var ours = new[] { ggml_mul_mat(ctx, a, b), ggml_out_prod(ctx, GgmlTensorHeader.Of(theirs[1])->Src0, GgmlTensorHeader.Of(theirs[1])->Src1) };
        var reference = ggml_new_graph_custom(ctx, 16, grads: 0);
        foreach (var t in theirs) ggml_build_forward_expand(reference, t);
        var patched = ggml_new_graph_custom(ctx, 16, grads: 0);
        foreach (var t in ours) ggml_build_forward_expand(patched, t);
        if (!RunsHere(width, () => MatMulKernelNodes.Apply(ctx, patched, width))) return;
        Assert.Equal(2, MatMulKernelNodes.Apply(ctx, patched, width));
        Assert.All(theirs, t => Assert.NotEqual(GgmlOp.Custom, GgmlTensorHeader.Of(t)->Op));

        using var buffer = GgmlBufferHandle.AllocateTensors(context, backend);
        var random = new Random(depth * 1000 + rows);
        foreach (var source in sources) GgmlTensorData.Set<float>(source, RandomValues(random, ggml_nelements(source)));
        Assert.Equal(GgmlStatus.Success, ggml_backend_graph_compute(backend.Pointer, reference));
        Assert.Equal(GgmlStatus.Success, ggml_backend_graph_compute(backend.Pointer, patched));

        for (var i = 0; i < ours.Length; i++)
        {
            Assert.Equal(GgmlTensorHeader.Of(theirs[i])->Shape, GgmlTensorHeader.Of(ours[i])->Shape);
            var expected = GgmlTensorData.Get<float>(theirs[i]);
            var actual = GgmlTensorData.Get<float>(ours[i]);
            var scale = expected.Max(MathF.Abs);
            var error = expected.Zip(actual).Max(p => MathF.Abs(p.First - p.Second)) / scale;
            output.WriteLine($"{(i == 0 ? "mul_mat" : "out_prod")} {GgmlTensorHeader.Of(ours[i])->Shape}: max error {error:E2} of the largest value {scale:F2}");
            Assert.True(error < 1e-5, $"relative error {error:E3}");
        }
    }

    [Theory]
    [InlineData(4, false)]
    [InlineData(2, true)]    // grouped KV heads, tied output
    public void EveryProductOfALlamaForwardAndBackwardGraphRunsOnTheKernel(int kvHeads, bool tied)
    {
        var width = Widths.First(w => w.IsSupported());
        var shape = new LlamaHyperparameters(100, 64, 2, 4, kvHeads, 128, ContextLength: 64, TiedOutput: tied);
        using var backend = GgmlBackendHandle.CreateCpu(1);
        using var model = LlamaModelTensors.Create(backend, shape, trainable: true);
        var nodes = GraphSizing.TrainingNodes(shape.BlockCount);
        using var context = GgmlContextHandle.CreateNoAlloc(3 * nodes, graphs: 1, graphSize: nodes);
        var ctx = context.Pointer;
        var batch = new LlamaBatchShape(16, 2);
        var llama = new LlamaGraph(ctx, model, batch);
        var loss = ggml_sum(ctx, llama.Output(llama.Hidden(LlamaGraphInputs.Create(ctx, batch))));
        ggml_set_loss(loss);
        var graph = ggml_new_graph_custom(ctx, (nuint)nodes, grads: 1);
        ggml_build_forward_expand(graph, loss);
        ggml_build_backward_expand(ctx, graph, null);
        var products = Ops(graph).Count(o => o is GgmlOp.MulMat or GgmlOp.OutProd);

        var patched = MatMulKernelNodes.Apply(ctx, graph, width);

        output.WriteLine($"{ggml_graph_n_nodes(graph)} nodes, {products} products, {patched} patched");
        // Per block 7 projections + 2 attention products, plus the output head: forward once, backward twice (minus the input's).
        Assert.True(products >= 3 * (9 * shape.BlockCount + 1) - 2, $"only {products} products");
        Assert.Equal(products, patched);
        Assert.DoesNotContain(Ops(graph), o => o is GgmlOp.MulMat or GgmlOp.OutProd);
    }

    /// <summary>
    /// Whether <paramref name="width"/> runs on this CPU; where it does not, asserts that patching a
    /// graph onto it is refused with a message naming what the CPU lacks.
    /// </summary>
    private bool RunsHere(KernelWidth width, Action patch)
    {
        if (width.IsSupported()) return true;
        var refused = Assert.Throws<NotSupportedException>(patch);
        output.WriteLine($"{width}: not on this CPU, refused: {refused.Message}");
        return false;
    }

    private static List<int> Ops(nint graph) =>
        Enumerable.Range(0, ggml_graph_n_nodes(graph)).Select(i => GgmlTensorHeader.Of(ggml_graph_node(graph, i))->Op).ToList();

    private static (nint A, nint B, nint[] Sources) Operands(nint ctx, int depth, int rows, int columns, Layout layout)
    {
        switch (layout)
        {
            case Layout.PermutedFirst:
            {
                // [K, 3, M, 2] permuted to [K, M, 3, 2], as attention's keys are.
                var a = ggml_new_tensor_4d(ctx, GgmlTensorType.F32, depth, 3, rows, 2);
                var b = ggml_new_tensor_4d(ctx, GgmlTensorType.F32, depth, columns, 3, 2);
                return (ggml_permute(ctx, a, 0, 2, 1, 3), b, [a, b]);
            }
            case Layout.TransposedSecond:
            {
                var a = ggml_new_tensor_2d(ctx, GgmlTensorType.F32, depth, rows);
                var b = ggml_new_tensor_2d(ctx, GgmlTensorType.F32, columns, depth);
                return (a, ggml_transpose(ctx, b), [a, b]);
            }
            case Layout.Broadcast:
            {
                var a = ggml_new_tensor_4d(ctx, GgmlTensorType.F32, depth, rows, 1, 2);
                var b = ggml_new_tensor_4d(ctx, GgmlTensorType.F32, depth, columns, 3, 4);
                return (a, b, [a, b]);
            }
            default:
            {
                var a = ggml_new_tensor_2d(ctx, GgmlTensorType.F32, depth, rows);
                var b = ggml_new_tensor_2d(ctx, GgmlTensorType.F32, depth, columns);
                return (a, b, [a, b]);
            }
        }
    }

    private static float[] RandomValues(Random random, long count) => Enumerable.Range(0, (int)count).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
}

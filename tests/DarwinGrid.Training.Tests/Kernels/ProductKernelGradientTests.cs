using DarwinGrid.Training.Graph;
using DarwinGrid.Training.Kernels;
using DarwinGrid.Training.Models;
using DarwinGrid.Training.Native;
using DarwinGrid.Training.Optimization;
using DarwinGrid.Training.Tests.Gguf;
using DarwinGrid.Training.Tests.Optimization;
using Xunit.Abstractions;
using static DarwinGrid.Training.Native.Ggml;

namespace DarwinGrid.Training.Tests.Kernels;

/// <summary>Computing products on another kernel (the C# one, or mul_mat's backward as sgemm instead of out_prod) changes speed, not gradients.</summary>
public sealed unsafe class ProductKernelGradientTests(ITestOutputHelper output)
{
    // a: [K, Z2, M, Z3] permuted to [K, M, Z2, Z3] (a non-contiguous operand, as attention's k is); b: [K, N, Z2, Z3].
    private const int K = 48, M = 20, N = 12, Z2 = 3, Z3 = 2;

    [Theory]
    [InlineData(ProductKernel.Ggml)]
    [InlineData(ProductKernel.GgmlSgemm)]
    [InlineData(ProductKernel.CSharp)]
    [InlineData(ProductKernel.CSharpAvx2)]
    [InlineData(ProductKernel.CSharp128)]
    public void BatchedMatMulGradientsEqualTheAnalyticOnesOnEveryProductKernel(ProductKernel kernel)
    {
        if (!RunsHere(kernel)) return;
        var random = new Random(5);
        var a = Random(random, K * Z2 * M * Z3);
        var b = Random(random, K * N * Z2 * Z3);
        var w = Random(random, M * N * Z2 * Z3);
        var (expectedA, expectedB) = AnalyticGradients(a, b, w);

        var result = Gradients(a, b, w, kernel);

        // mul_mat's backward is two out_prods (dA and dB); only ggml's own kernels keep them.
        Assert.Equal(kernel == ProductKernel.Ggml ? 2 : 0, result.OutProds);
        var errors = new[] { MaxRelative(result.GradA, expectedA), MaxRelative(result.GradB, expectedB) };
        output.WriteLine($"{kernel}: max relative error vs analytic: dA {errors[0]:E2} dB {errors[1]:E2}");
        Assert.All(errors, e => Assert.True(e < 1e-5, $"relative error {e:E3}"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void TransposedCopyEqualsGgmlsContForTransposedAndPermutedViews(int threads)
    {
        using var backend = GgmlBackendHandle.CreateCpu(threads);
        using var context = GgmlContextHandle.CreateNoAlloc(16, graphs: 1, graphSize: 16);
        var ctx = context.Pointer;
        var source = ggml_new_tensor_4d(ctx, GgmlTensorType.F32, 37, 70, 3, 2);    // tiles of 32 leave remainders
        var views = new[] { ggml_transpose(ctx, source), ggml_permute(ctx, source, 2, 0, 1, 3) };
        var pairs = views.Select(v => (Ours: TransposedCopy.Of(ctx, v), Ggml: ggml_cont(ctx, v))).ToList();
        var graph = ggml_new_graph_custom(ctx, 16, grads: 0);
        foreach (var (ours, theirs) in pairs)
        {
            ggml_build_forward_expand(graph, ours);
            ggml_build_forward_expand(graph, theirs);
        }
        using var buffer = GgmlBufferHandle.AllocateTensors(context, backend);
        GgmlTensorData.Set<float>(source, Random(new Random(1), 37 * 70 * 3 * 2));
        Assert.Equal(GgmlStatus.Success, ggml_backend_graph_compute(backend.Pointer, graph));
        foreach (var (ours, theirs) in pairs)
        {
            Assert.Equal(GgmlTensorHeader.Of(theirs)->Shape, GgmlTensorHeader.Of(ours)->Shape);
            Assert.Equal(GgmlTensorData.Get<float>(theirs), GgmlTensorData.Get<float>(ours));
        }
    }

    [Theory]
    [InlineData(4, 4, false, RecordLayout.Packed, ProductKernel.GgmlSgemm)]
    [InlineData(4, 2, true, RecordLayout.Padded, ProductKernel.GgmlSgemm)]    // grouped KV heads, tied output
    [InlineData(4, 4, false, RecordLayout.Packed, ProductKernel.CSharp)]
    [InlineData(4, 2, true, RecordLayout.Padded, ProductKernel.CSharp)]
    [InlineData(4, 4, false, RecordLayout.Packed, ProductKernel.CSharpAvx2)]
    [InlineData(4, 2, true, RecordLayout.Padded, ProductKernel.CSharpAvx2)]
    [InlineData(4, 2, true, RecordLayout.Padded, ProductKernel.CSharp128)]
    public void OneTrainingStepMovesEveryWeightAsWithGgmlsOwnKernels(int heads, int kvHeads, bool tied, RecordLayout layout, ProductKernel kernel)
    {
        if (!RunsHere(kernel)) return;
        var vocabulary = TinyVocabulary.Create();
        var shape = new LlamaHyperparameters(vocabulary.Count, 64, 2, heads, kvHeads, 128, ContextLength: 256, TiedOutput: tied);
        var initial = new LlamaCheckpoint(shape, [], RandomLlamaModel.CreateWeights(shape, seed: 3, std: 0.1f));
        var records = CopyTask.Records(24, 5, seed: 2);
        // betas 0 and a huge epsilon make AdamW's update -lr * g / (|g| + eps) ~ -(lr / eps) * g: the step
        // shows the gradient itself (plain AdamW's first step is ~ -lr * sign(g) and would hide it).
        var options = new TrainerOptions
        {
            Layout = layout, BatchRows = 8, LearningRate = 1f, Epsilon = 1f, Beta1 = 0f, Beta2 = 0f, Epochs = 1, MaxSteps = 1, Threads = 2,
        };

        var withRewrite = Step(initial, records, options with { Products = kernel });
        var withOutProd = Step(initial, records, options with { Products = ProductKernel.Ggml });

        foreach (var name in initial.Weights.Keys)
        {
            var reference = Delta(withOutProd[name], initial.Weights[name]);
            var rewritten = Delta(withRewrite[name], initial.Weights[name]);
            var scale = reference.Max(MathF.Abs);
            var difference = reference.Zip(rewritten).Max(p => MathF.Abs(p.First - p.Second));
            output.WriteLine($"{name}: largest step {scale:E2}, largest difference {difference:E2}");
            Assert.True(scale > 0, $"{name} did not move");
            Assert.True(difference <= 1e-4 * scale, $"{name}: steps differ by {difference:E3} (largest step {scale:E3})");
        }
    }

    /// <summary>Whether <paramref name="kernel"/> runs on this CPU; where it does not, asserts that choosing it is refused by name.</summary>
    private bool RunsHere(ProductKernel kernel)
    {
        if (kernel.Width() is KernelWidth.None || kernel.Width().IsSupported()) return true;
        var refused = Assert.Throws<NotSupportedException>(() => kernel.Resolve());
        Assert.Contains(kernel.Width().Requirement(), refused.Message);
        output.WriteLine($"{kernel}: not on this CPU, refused: {refused.Message}");
        return false;
    }

    private static Dictionary<string, float[]> Step(LlamaCheckpoint initial, List<TrainingRecord> records, TrainerOptions options)
    {
        using var trainer = new LlamaTrainer(initial, options);
        Assert.Equal(1, trainer.Train(records, []).Steps);
        return trainer.Checkpoint().Weights.ToDictionary(p => p.Key, p => p.Value);
    }

    private static float[] Delta(float[] after, float[] before) => after.Zip(before, (x, y) => x - y).ToArray();

    private sealed record Result(float[] GradA, float[] GradB, int OutProds);

    /// <summary>loss = sum(mul_mat(permute(a), b) * w), differentiated by ggml.</summary>
    private static Result Gradients(float[] a, float[] b, float[] w, ProductKernel kernel)
    {
        using var backend = GgmlBackendHandle.CreateCpu(2);
        using var context = GgmlContextHandle.CreateNoAlloc(64, graphs: 1, graphSize: 128);
        var ctx = context.Pointer;
        var aParam = ggml_new_tensor_4d(ctx, GgmlTensorType.F32, K, Z2, M, Z3);
        var bParam = ggml_new_tensor_4d(ctx, GgmlTensorType.F32, K, N, Z2, Z3);
        var weights = ggml_new_tensor_4d(ctx, GgmlTensorType.F32, M, N, Z2, Z3);
        ggml_set_param(aParam);
        ggml_set_param(bParam);
        var product = ggml_mul_mat(ctx, ggml_permute(ctx, aParam, 0, 2, 1, 3), bParam);
        var loss = ggml_sum(ctx, ggml_mul(ctx, product, weights));
        ggml_set_loss(loss);
        var graph = ggml_new_graph_custom(ctx, 128, grads: 1);
        ggml_build_forward_expand(graph, loss);
        ggml_build_backward_expand(ctx, graph, null);
        kernel.Apply(ctx, graph);
        var outProds = Enumerable.Range(0, ggml_graph_n_nodes(graph)).Count(i => GgmlTensorHeader.Of(ggml_graph_node(graph, i))->Op == GgmlOp.OutProd);

        using var buffer = GgmlBufferHandle.AllocateTensors(context, backend);
        GgmlTensorData.Set<float>(aParam, a);
        GgmlTensorData.Set<float>(bParam, b);
        GgmlTensorData.Set<float>(weights, w);
        ggml_graph_reset(graph);
        Assert.Equal(GgmlStatus.Success, ggml_backend_graph_compute(backend.Pointer, graph));
        // a's gradient is a permuted view of [K, M, Z2, Z3] memory; reading its bytes gives that order.
        return new Result(GgmlTensorData.Get<float>(ggml_graph_get_grad(graph, aParam)), GgmlTensorData.Get<float>(ggml_graph_get_grad(graph, bParam)), outProds);
    }

    /// <summary>dL/da[k,m,z] = sum_n w[m,n,z] b[k,n,z] (in [K, M, Z2, Z3] order); dL/db[k,n,z] = sum_m w[m,n,z] a[k,m,z].</summary>
    private static (float[] GradA, float[] GradB) AnalyticGradients(float[] a, float[] b, float[] w)
    {
        var gradA = new float[K * M * Z2 * Z3];
        var gradB = new float[K * N * Z2 * Z3];
        for (var z3 = 0; z3 < Z3; z3++)
        for (var z2 = 0; z2 < Z2; z2++)
        for (var m = 0; m < M; m++)
        for (var n = 0; n < N; n++)
        {
            var weight = (double)w[m + M * (n + N * (z2 + Z2 * z3))];
            for (var k = 0; k < K; k++)
            {
                var aValue = a[k + K * (z2 + Z2 * (m + M * z3))];
                var bValue = b[k + K * (n + N * (z2 + Z2 * z3))];
                gradA[k + K * (m + M * (z2 + Z2 * z3))] += (float)(weight * bValue);
                gradB[k + K * (n + N * (z2 + Z2 * z3))] += (float)(weight * aValue);
            }
        }
        return (gradA, gradB);
    }

    private static float[] Random(Random random, int count) => Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();

    private static double MaxRelative(float[] actual, float[] expected)
    {
        Assert.Equal(expected.Length, actual.Length);
        var scale = expected.Max(MathF.Abs);
        return actual.Zip(expected).Max(p => Math.Abs(p.First - p.Second)) / scale;
    }
}

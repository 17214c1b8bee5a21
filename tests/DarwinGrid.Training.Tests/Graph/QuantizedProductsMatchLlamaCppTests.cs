using DarwinGrid.TestSupport;
using DarwinGrid.Training.Gguf;
using DarwinGrid.Training.Tests.Lora;
using DarwinGrid.Training.Tokenization;
using LLama.Native;
using Xunit.Abstractions;

namespace DarwinGrid.Training.Tests.Graph;

/// <summary>
/// The quantized part of the logit oracle, op by op: every weight of a Q4_K_M file made by
/// llama.cpp's quantizer (Q4_K, and Q6_K for the head, the tied embedding and the last layer's
/// attn_v / ffn_down), multiplied as our graph multiplies it, gives llama.cpp's product on
/// llama.cpp's own input to 1e-4 — with llama.cpp's repacked kernels (its default on this CPU, the
/// engine's path) and with its plain ones. The shape is the one whose end-to-end logits differ by
/// ~1e-2: a single KV head (attn_k / attn_v of 64 rows).
/// </summary>
public sealed class QuantizedProductsMatchLlamaCppTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("quantized-products-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void EveryQuantizedProductEqualsLlamaCppsOnItsOwnInput()
    {
        var vocabulary = BuiltInVocabulary.Create(SharedData.Root);
        var shape = QuantizedBase.Shape(vocabulary.Count) with { HeadCountKv = 1 };
        var path = QuantizedBase.Write(_dir, shape, vocabulary, LLamaFtype.MOSTLY_Q4_K_M);
        var tokens = LlamaCppOracle.Tokenize(path, "What is band gap of Ag0.5Ge1Pb1.75S4? -> 1.83");

        var types = AssertProductsMatch(path, tokens, output);
        Assert.Contains(GgmlType.Q4_K, types);
        Assert.Contains(GgmlType.Q6_K, types);
    }

    /// <summary>Compares every product with llama.cpp repacked and plain; returns the weight types seen.</summary>
    internal static HashSet<GgmlType> AssertProductsMatch(string path, IReadOnlyList<int> tokens, ITestOutputHelper output)
    {
        var types = new HashSet<GgmlType>();
        foreach (var repacked in new[] { true, false })
        {
            var comparisons = QuantizedProducts.Compare(path, tokens, LlamaCppActivations.Capture(path, tokens, repacked));
            foreach (var comparison in comparisons) output.WriteLine($"{(repacked ? "repacked" : "plain")} {comparison}");
            Assert.All(comparisons, c => Assert.True(c.MaxAbsoluteDifference <= 1e-4, $"llama.cpp {(repacked ? "repacked" : "plain")}: {c}"));
            types.UnionWith(comparisons.Select(c => c.Type));
        }
        return types;
    }
}

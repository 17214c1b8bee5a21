using DarwinGrid.Training.Gguf;
using DarwinGrid.Training.Graph;
using DarwinGrid.Training.Models;
using DarwinGrid.Training.Tests.Gguf;
using Xunit.Abstractions;

namespace DarwinGrid.Training.Tests.Graph;

/// <summary>The trainer's foundation: our ggml graph computes the same logits as llama.cpp.</summary>
public sealed class LlamaGraphMatchesLlamaCppTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("oracle-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(64, 2, 4, 4, false, GgmlType.F32)]
    [InlineData(64, 2, 8, 2, false, GgmlType.F32)]   // grouped KV heads (4 query heads per KV head)
    [InlineData(64, 3, 4, 1, true, GgmlType.F32)]    // multi-query attention, tied output
    [InlineData(48, 2, 4, 2, true, GgmlType.F16)]    // F16 weights, read back as F32
    public void LogitsEqualLlamaCpp(int embd, int layers, int heads, int kvHeads, bool tied, GgmlType type)
    {
        var vocabulary = TinyVocabulary.Create();
        var shape = new LlamaHyperparameters(vocabulary.Count, embd, layers, heads, kvHeads, 2 * embd + 16, TiedOutput: tied);
        var path = Path.Combine(_dir, "model.gguf");
        RandomLlamaModel.Write(path, shape, vocabulary, seed: 7, type: type, std: 0.15f);
        var tokens = LlamaCppOracle.Tokenize(path, "What is band gap of Ag0.5Ge1Pb1.75S4? -> 1.83");

        var checkpoint = LlamaCheckpoint.Load(path);
        // In memory (F32 arrays), not the file's F16 tensors: the exact comparison is against F32 weights.
        using var forward = new LlamaForward(checkpoint.WithWeights(checkpoint.Weights));
        var ours = forward.Logits(tokens);
        if (type != GgmlType.F32)
        {
            // llama.cpp multiplies F16 weights with F16-rounded activations; we compute in F32. The
            // exact comparison is against the same weights written back as F32 by our checkpoint.
            var direct = LlamaCppOracle.MaxRelativeDifference(ours, LlamaCppOracle.Logits(path, tokens));
            output.WriteLine($"{type} model run by llama.cpp directly: max relative difference {direct:E2}");
            Assert.True(direct < 1e-2, $"direct {type} difference {direct:E3}");
            path = Path.Combine(_dir, "model-f32.gguf");
            checkpoint.Save(path);
        }

        var theirs = LlamaCppOracle.Logits(path, tokens);
        var relative = LlamaCppOracle.MaxRelativeDifference(ours, theirs);
        output.WriteLine($"{tokens.Length} tokens, max relative difference {relative:E2}");
        Assert.True(relative < 1e-4, $"max relative difference {relative:E3}");
        Assert.Equal(theirs.Select(ArgMax), ours.Select(ArgMax));
    }

    internal static int ArgMax(float[] values) => Array.IndexOf(values, values.Max());
}

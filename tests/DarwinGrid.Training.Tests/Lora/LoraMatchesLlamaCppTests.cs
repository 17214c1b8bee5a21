using DarwinGrid.Training.Gguf;
using DarwinGrid.Training.Graph;
using DarwinGrid.Training.Lora;
using DarwinGrid.Training.Models;
using DarwinGrid.Training.Tests.Gguf;
using DarwinGrid.Training.Tests.Graph;
using Xunit.Abstractions;

namespace DarwinGrid.Training.Tests.Lora;

/// <summary>
/// Our adapter GGUF means the same thing to llama.cpp as to our graph: llama.cpp loads it, and base +
/// adapter there, base + adapter in our graph and the merged weights give the same logits.
/// </summary>
public sealed class LoraMatchesLlamaCppTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lora-oracle-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(1f)]
    [InlineData(0.6f)]
    public void BaseWithAdapterEqualsLlamaCppAndTheMergedModel(float scale)
    {
        var vocabulary = TinyVocabulary.Create();
        var shape = new LlamaHyperparameters(vocabulary.Count, 64, 2, 8, 2, 144);
        var basePath = Path.Combine(_dir, "base.gguf");
        RandomLlamaModel.Write(basePath, shape, vocabulary, seed: 7, std: 0.15f);
        var baseModel = LlamaCheckpoint.Load(basePath);
        var adapter = LoraAdapters.WithRandomB(shape, new LoraOptions { Rank = 4, Alpha = 8 }, seed: 3, std: 0.3f);
        var adapterPath = Path.Combine(_dir, "adapter.gguf");
        LoraAdapterGguf.Write(adapterPath, adapter, baseModel.Metadata);
        var tokens = LlamaCppOracle.Tokenize(basePath, "What is band gap of Ag0.5Ge1Pb1.75S4? -> 1.83");

        using var plain = new LlamaForward(baseModel);
        using var adapted = new LlamaForward(baseModel, adapter: adapter, adapterScale: scale);
        using var merged = new LlamaForward(LoraMerge.Merge(baseModel, adapter, scale));
        var ours = adapted.Logits(tokens);
        var llamaCpp = LlamaCppOracle.Logits(basePath, tokens, (adapterPath, scale));
        var fromBase = LlamaCppOracle.MaxRelativeDifference(plain.Logits(tokens), ours);
        var vsLlamaCpp = LlamaCppOracle.MaxRelativeDifference(ours, llamaCpp);
        var vsMerged = LlamaCppOracle.MaxRelativeDifference(merged.Logits(tokens), ours);
        output.WriteLine($"scale {scale}: adapter moves logits by {fromBase:E2}; ours vs llama.cpp {vsLlamaCpp:E2}; merged vs adapter {vsMerged:E2}");

        Assert.True(fromBase > 0.05, $"the adapter barely changes the logits ({fromBase:E2}); the comparison would prove nothing");
        Assert.True(vsLlamaCpp < 1e-4, $"our graph with the adapter vs llama.cpp: {vsLlamaCpp:E3}");
        Assert.True(vsMerged < 1e-4, $"merged weights vs base + adapter: {vsMerged:E3}");
    }

    [Fact]
    public void TheAdapterGgufRoundTripsInLlamaCppsLayout()
    {
        var shape = new LlamaHyperparameters(TinyVocabulary.Create().Count, 32, 2, 4, 4, 96);
        var adapter = LoraAdapters.WithRandomB(shape, new LoraOptions { Rank = 3, Alpha = 6, Targets = ["k", "o", "up"] }, seed: 2, std: 0.1f);
        var path = Path.Combine(_dir, "round-trip.gguf");
        LoraAdapterGguf.Write(path, adapter, [new("general.architecture", GgufValue.Of("llama")), new("general.name", GgufValue.Of("tiny"))]);

        using (var file = GgufFile.Open(path))
        {
            Assert.Equal("adapter", file.Get("general.type").AsString());
            Assert.Equal("lora", file.Get("adapter.type").AsString());
            Assert.Equal("llama", file.Get("general.architecture").AsString());
            Assert.Equal(6.0, file.Get("adapter.lora.alpha").AsDouble());
            Assert.Equal([32L, 3L], file.Tensor("blk.1.attn_k.weight.lora_a").Dimensions);
            Assert.Equal([3L, 32L], file.Tensor("blk.1.attn_k.weight.lora_b").Dimensions);
            Assert.Equal([3L, 96L], file.Tensor("blk.0.ffn_up.weight.lora_b").Dimensions);
            Assert.Equal(2 * 3 * 2, file.Tensors.Count);
        }

        var read = LoraAdapterGguf.Read(path);
        Assert.Equal(adapter.Options.Rank, read.Options.Rank);
        Assert.Equal(adapter.Options.Alpha, read.Options.Alpha);
        Assert.Equal(["k", "o", "up"], read.Options.Targets);
        Assert.Equal(adapter.Weights.Select(w => (w.BaseName, w.InputLength, w.OutputLength)), read.Weights.Select(w => (w.BaseName, w.InputLength, w.OutputLength)));
        Assert.Equal(adapter.Weights.Select(w => w.A), read.Weights.Select(w => w.A));
        Assert.Equal(adapter.Weights.Select(w => w.B), read.Weights.Select(w => w.B));
    }

    [Fact]
    public void FilesThatAreNotLoraAdaptersAreRejectedByName()
    {
        var shape = new LlamaHyperparameters(TinyVocabulary.Create().Count, 32, 1, 4, 4, 96);
        var modelPath = Path.Combine(_dir, "model.gguf");
        RandomLlamaModel.Write(modelPath, shape, TinyVocabulary.Create(), seed: 1);
        var notAdapter = Assert.Throws<GgufFormatException>(() => LoraAdapterGguf.Read(modelPath));
        Assert.Contains("not a LoRA adapter", notAdapter.Message);
        Assert.Contains(modelPath, notAdapter.Message);

        var lonely = Path.Combine(_dir, "lonely.gguf");
        new GgufWriter().Set("general.type", GgufValue.Of("adapter")).Set("adapter.type", GgufValue.Of("lora"))
            .AddTensor("blk.0.attn_q.weight.lora_a", [32, 4], new float[128]).WriteTo(lonely);
        var unpaired = Assert.Throws<GgufFormatException>(() => LoraAdapterGguf.Read(lonely));
        Assert.Contains("no matching .lora_b", unpaired.Message);
    }

    [Fact]
    public void MergeRejectsAnAdapterForAnotherShape()
    {
        var small = new LlamaHyperparameters(TinyVocabulary.Create().Count, 32, 1, 4, 4, 96);
        var wide = small with { EmbeddingLength = 48, FeedForwardLength = 128 };
        var baseModel = new LlamaCheckpoint(small, [], RandomLlamaModel.CreateWeights(small, seed: 1));
        var adapter = LoraAdapters.WithRandomB(wide, new LoraOptions { Rank = 2, Targets = ["q"] }, seed: 1, std: 0.1f);
        var error = Assert.Throws<LoraAdapterMismatchException>(() => LoraMerge.Merge(baseModel, adapter));
        Assert.Contains("blk.0.attn_q.weight", error.Message);
        Assert.Contains("[32, 32]", error.Message);
        Assert.Contains("[48, 2]", error.Message);

        var deeper = LoraAdapters.WithRandomB(small with { BlockCount = 2 }, new LoraOptions { Rank = 2, Targets = ["v"] }, seed: 1, std: 0.1f);
        Assert.Contains("blk.1.attn_v.weight", Assert.Throws<LoraAdapterMismatchException>(() => LoraMerge.Merge(baseModel, deeper)).Message);
    }
}

internal static class LoraAdapters
{
    /// <summary>A fresh adapter whose B is random too, so it changes the model (a fresh one does not).</summary>
    public static LoraAdapter WithRandomB(LlamaHyperparameters shape, LoraOptions options, int seed, float std)
    {
        var random = new Random(seed + 1000);
        var adapter = LoraAdapter.Initial(shape, options, seed);
        foreach (var weight in adapter.Weights)
        {
            for (var i = 0; i < weight.B.Length; i++) weight.B[i] = (float)((2 * random.NextDouble() - 1) * std * Math.Sqrt(3));
        }
        return adapter;
    }
}

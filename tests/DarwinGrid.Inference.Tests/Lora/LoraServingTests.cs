using System.Globalization;
using DarwinGrid.Inference.Engine;
using DarwinGrid.Inference.Models;
using DarwinGrid.Inference.Tests.Support;
using DarwinGrid.TestSupport;
using DarwinGrid.Training.Lora;
using DarwinGrid.Training.Models;
using DarwinGrid.Training.Optimization;
using DarwinGrid.Training.Tokenization;
using LLama.Native;
using LoraAdapter = DarwinGrid.Training.Lora.LoraAdapter;
using Xunit.Abstractions;

namespace DarwinGrid.Inference.Tests.Lora;

/// <summary>
/// Adapters trained by our LoRA trainer, served by the engine on top of the base model: the logits
/// equal those of the merged weights, for one adapter or several with their scales.
/// </summary>
public sealed class LoraServingTests(TinyModelFile model, ITestOutputHelper output) : IClassFixture<TinyModelFile>
{
    private static readonly string[] Labels = ["metal", "insulator", "semiconductor"];

    private string Temp(string name) => Path.Combine(model.Directory, name);

    [Fact]
    public void BaseWithATrainedAdapterGivesTheMergedModelsLogits()
    {
        var baseModel = LlamaCheckpoint.Load(model.Path);
        var adapter = Train(baseModel, new LoraOptions { Rank = 4, Alpha = 8 }, seed: 1);
        Assert.All(adapter.Weights, w => Assert.Contains(w.B, v => v != 0));
        var adapterPath = Temp("trained-adapter.gguf");
        LoraAdapterGguf.Write(adapterPath, adapter, baseModel.Metadata);
        var mergedPath = Temp("merged.gguf");
        LoraMerge.Merge(baseModel, adapter).Save(mergedPath);

        var tokens = Prompt("What is band gap of Ag2BBr? ->");
        var plain = Logits(model.ExactOptions(seqMax: 1), tokens);
        var served = Logits(WithAdapters(model.ExactOptions(seqMax: 1), (adapterPath, 1f)), tokens);
        var merged = Logits(ExactOptions(mergedPath), tokens);
        var moved = MaxRelativeDifference(plain, served);
        var difference = MaxRelativeDifference(merged, served);
        output.WriteLine($"{tokens.Length} tokens: the adapter moves the logits by {moved:E2} (relative); base + adapter vs merged {difference:E2}");

        Assert.True(moved > 1e-2, $"the trained adapter barely changes the logits ({moved:E2}); the comparison would prove nothing");
        Assert.True(difference < 1e-4, $"base + adapter vs merged weights: {difference:E3} relative");
    }

    [Fact]
    public void TwoAdaptersWithScalesEqualBothMergedAtThoseScales()
    {
        var baseModel = LlamaCheckpoint.Load(model.Path);
        var first = Train(baseModel, new LoraOptions { Rank = 4, Alpha = 4, Targets = ["q", "v", "up"] }, seed: 2);
        var second = Train(baseModel, new LoraOptions { Rank = 2, Alpha = 8, Targets = ["v", "o", "down"] }, seed: 3);
        string firstPath = Temp("first.gguf"), secondPath = Temp("second.gguf"), mergedPath = Temp("merged-both.gguf");
        LoraAdapterGguf.Write(firstPath, first, baseModel.Metadata);
        LoraAdapterGguf.Write(secondPath, second, baseModel.Metadata);
        LoraMerge.Merge(LoraMerge.Merge(baseModel, first, 0.5f), second, 1.5f).Save(mergedPath);

        var tokens = Prompt("What is band gap of CsPbI3? ->");
        var served = Logits(WithAdapters(model.ExactOptions(seqMax: 1), (firstPath, 0.5f), (secondPath, 1.5f)), tokens);
        var merged = Logits(ExactOptions(mergedPath), tokens);
        var onlyFirst = Logits(WithAdapters(model.ExactOptions(seqMax: 1), (firstPath, 0.5f)), tokens);
        var difference = MaxRelativeDifference(merged, served);
        output.WriteLine($"two adapters (0.5, 1.5) vs merged: {difference:E2}; second adapter's share {MaxRelativeDifference(onlyFirst, served):E2}");

        Assert.True(MaxRelativeDifference(onlyFirst, served) > 1e-2, "the second adapter made no difference");
        Assert.True(difference < 1e-4, $"base + two adapters vs merged: {difference:E3} relative");
    }

    [Fact]
    public async Task TheEngineAnswersWithBaseAndAdapterAsTheMergedModelDoes()
    {
        var baseModel = LlamaCheckpoint.Load(model.Path);
        var adapter = Train(baseModel, new LoraOptions { Rank = 4, Alpha = 8, Targets = ["q", "k", "v", "o"] }, seed: 4);
        string adapterPath = Temp("engine-adapter.gguf"), mergedPath = Temp("engine-merged.gguf");
        LoraAdapterGguf.Write(adapterPath, adapter, baseModel.Metadata);
        LoraMerge.Merge(baseModel, adapter, 0.8f).Save(mergedPath);

        var requests = BandGapPrompts.Compositions(6)
            .Select(c => new EngineRequest(BandGapPrompts.Prefix, BandGapPrompts.Suffix(c), new ResponseMode.Labels(Labels))).ToArray();
        var served = await Probabilities(model.Options(configure: o => o.LoraAdapters.Add(new() { Path = adapterPath, Scale = 0.8f })), requests);
        var merged = await Probabilities(model.Options(configure: o => o.ModelPath = mergedPath), requests);
        var plain = await Probabilities(model.Options(), requests);
        var moved = plain.Zip(served).Max(p => Math.Abs(p.First - p.Second));
        var difference = merged.Zip(served).Max(p => Math.Abs(p.First - p.Second));
        output.WriteLine($"label probabilities: adapter moves them by up to {moved:F4}; base + adapter vs merged differ by {difference:E2} (flash attention, F16 KV: ~1e-4 noise)");

        Assert.True(moved > 1e-2, $"the adapter barely changes the answers ({moved:E2})");
        Assert.True(difference < 2e-3, $"engine with adapter vs merged model: label probabilities differ by {difference:E3}");
    }

    /// <summary>A few LoRA steps on band-gap records (prompt -> " value"), enough to move B well away from zero.</summary>
    private static LoraAdapter Train(LlamaCheckpoint baseModel, LoraOptions lora, int seed)
    {
        var tokenizer = new DarwinTokenizer(TinyVocabulary.Create());
        var records = File.ReadLines(SharedData.PathOf("darwin", "matbench_expt_gap", "matbench_expt_gap.csv")).Skip(1).Take(64)
            .Select(line => line.Split(','))
            .Select(f => new TrainingRecord(
                tokenizer.Encode($"What is band gap of {f[0]}? ->"),
                [.. tokenizer.EncodeContinuation(" " + double.Parse(f[1], CultureInfo.InvariantCulture).ToString("0.##", CultureInfo.InvariantCulture)), tokenizer.Vocabulary.EosId]))
            .ToArray();
        var options = new TrainerOptions { Lora = lora, BatchRows = 16, LearningRate = 3e-2f, Epochs = 2, MaxSteps = 6, Seed = seed, Threads = 2 };
        using var trainer = new LlamaTrainer(baseModel, options);
        trainer.Train(records, []);
        return trainer.Adapter();
    }

    private static int[] Prompt(string text)
    {
        var tokenizer = new DarwinTokenizer(TinyVocabulary.Create());
        return tokenizer.Encode(text);
    }

    private EngineOptions ExactOptions(string path)
    {
        var options = model.ExactOptions(seqMax: 1);
        options.ModelPath = path;
        return options;
    }

    private static EngineOptions WithAdapters(EngineOptions options, params (string Path, float Scale)[] adapters)
    {
        options.LoraAdapters.AddRange(adapters.Select(a => new LoraAdapterOptions { Path = a.Path, Scale = a.Scale }));
        return options;
    }

    /// <summary>Every position's logits, loaded the engine's way (LoadedModel applies the adapters).</summary>
    private static float[][] Logits(EngineOptions options, int[] tokens)
    {
        using var loaded = LoadedModel.Load(options, sequenceCount: 1);
        var batch = new LLamaBatch();
        for (var i = 0; i < tokens.Length; i++) batch.Add(tokens[i], i, LLamaSeqId.Zero, true);
        Assert.Equal(DecodeResult.Ok, loaded.Native.Decode(batch));
        return Enumerable.Range(0, tokens.Length).Select(i => loaded.Native.GetLogitsIth(i).ToArray()).ToArray();
    }

    private static async Task<double[]> Probabilities(EngineOptions options, IEnumerable<EngineRequest> requests)
    {
        await using var engine = InferenceEngine.Start(options);
        var results = await Task.WhenAll(requests.Select(r => engine.EvaluateAsync(r).AsTask()));
        return results.SelectMany(r => r.Labels!.Select(l => l.Probability)).ToArray();
    }

    /// <summary>max |a - b| / max |b|.</summary>
    private static double MaxRelativeDifference(float[][] a, float[][] b)
    {
        double diff = 0, scale = 0;
        for (var i = 0; i < b.Length; i++)
        {
            for (var j = 0; j < b[i].Length; j++)
            {
                diff = Math.Max(diff, Math.Abs(a[i][j] - b[i][j]));
                scale = Math.Max(scale, Math.Abs(b[i][j]));
            }
        }
        return diff / scale;
    }
}

using System.Runtime.InteropServices;
using DarwinGrid.Training.Lora;
using DarwinGrid.Training.Models;
using DarwinGrid.Training.Optimization;
using Xunit.Abstractions;

namespace DarwinGrid.Training.Tests.Lora;

/// <summary>LoRA mode: only A/B train, the base stays bit-identical, and the loss still falls on real records.</summary>
public sealed class LoraTrainerTests(BandGapRecords data, ITestOutputHelper output) : IClassFixture<BandGapRecords>
{
    private static TrainerOptions Options(LoraOptions lora, int steps) => new()
    {
        Lora = lora, BatchRows = 16, LearningRate = 1e-2f, WarmupSteps = 3, Epochs = 4, MaxSteps = steps, Seed = 5, Threads = 2,
        MinLearningRateFraction = 0.5f,
    };

    [Fact]
    public void LoraTrainingLowersTheLossOnBandGapRecordsAndChangesOnlyTheAdapter()
    {
        var lora = new LoraOptions { Rank = 8, Alpha = 16 };
        using var trainer = new LlamaTrainer(data.Base, Options(lora, steps: 40));
        using var full = new LlamaTrainer(data.Base, Options(lora, 1) with { Lora = null });
        var baseLoss = full.Evaluate(data.Validation);
        var before = trainer.Evaluate(data.Validation);
        var result = trainer.Train(data.Training, data.Validation);
        var after = trainer.Evaluate(data.Validation);
        output.WriteLine($"base {baseLoss}; with a fresh adapter {before}; after {result.Steps} LoRA steps {after} ({result.TokensPerSecond:F0} tokens/s)");

        // B starts at zero: the fresh adapter is the base model exactly.
        Assert.Equal(baseLoss.Loss, before.Loss, 6);
        Assert.True(after.Loss < before.Loss - 0.3, $"validation loss {before.Loss:F3} -> {after.Loss:F3}");

        // Only the A/B matrices are trainable: one pair per targeted projection of every block.
        Assert.Equal(2 * 7 * data.Shape.BlockCount, trainer.Trainable.Count);
        Assert.All(trainer.Trainable, t => Assert.Matches(@"^blk\.\d+\.(attn_(q|k|v|output)|ffn_(gate|up|down))\.weight\.lora_[ab]$", t.Name));

        // The base bytes are unchanged after training.
        var trained = trainer.Checkpoint().Weights;
        foreach (var (name, values) in data.Base.Weights)
            Assert.True(MemoryMarshal.AsBytes(values.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(trained[name].AsSpan())), $"base tensor {name} changed");

        // Every A and B moved away from its start (A seeded random, B zero).
        var initial = LoraAdapter.Initial(data.Shape, lora, seed: 5).Weights.ToDictionary(w => w.BaseName);
        var adapter = trainer.Adapter();
        Assert.Equal(lora, adapter.Options);
        foreach (var weight in adapter.Weights)
        {
            var start = initial[weight.BaseName];
            Assert.True(weight.A.Zip(start.A).Count(p => p.First != p.Second) > weight.A.Length / 2, $"{weight.AName} barely changed");
            Assert.True(weight.B.Count(v => v != 0) > weight.B.Length / 2, $"{weight.BName} is still mostly zero");
        }
    }

    [Fact]
    public void TargetsChooseWhichProjectionsGetAnAdapter()
    {
        var lora = new LoraOptions { Rank = 4, Alpha = 4, Targets = ["q", "v", "down"] };
        using var trainer = new LlamaTrainer(data.Base, Options(lora, steps: 2));
        trainer.Train(data.Training.Take(64).ToArray(), []);

        var expected = Enumerable.Range(0, data.Shape.BlockCount)
            .SelectMany(l => new[] { LlamaBlockTensor.AttnQ, LlamaBlockTensor.AttnV, LlamaBlockTensor.FfnDown }.Select(t => t.In(l)))
            .SelectMany(n => new[] { n + ".lora_a", n + ".lora_b" });
        Assert.Equal(expected.Order(), trainer.Trainable.Select(t => t.Name).Order());
        var down = trainer.Adapter().Weights.Single(w => w.BaseName == "blk.1.ffn_down.weight");
        Assert.Equal([128L, 4L], down.ADimensions);
        Assert.Equal([4L, 64L], down.BDimensions);
        Assert.Contains(down.B, v => v != 0);
    }

    [Fact]
    public void TrainingContinuesFromAGivenAdapter()
    {
        var lora = new LoraOptions { Rank = 4, Alpha = 8, Targets = ["q", "o"] };
        using var first = new LlamaTrainer(data.Base, Options(lora, steps: 10));
        first.Train(data.Training, []);
        var adapter = first.Adapter();

        using var resumed = new LlamaTrainer(data.Base, Options(lora, steps: 1), adapter: adapter);
        Assert.Equal(first.Evaluate(data.Validation).Loss, resumed.Evaluate(data.Validation).Loss, 6);
        Assert.Equal(adapter.Weights.Select(w => w.B), resumed.Adapter().Weights.Select(w => w.B));
    }

    [Fact]
    public void MismatchedAdapterOrModeIsRejectedWithTheReason()
    {
        var adapter = LoraAdapter.Initial(data.Shape, new LoraOptions { Rank = 4 }, seed: 1);
        var fullError = Assert.Throws<ArgumentException>(() => new LlamaTrainer(data.Base, Options(new LoraOptions(), 1) with { Lora = null }, adapter: adapter));
        Assert.Contains("full fine-tuning", fullError.Message);
        var rankError = Assert.Throws<ArgumentException>(() => new LlamaTrainer(data.Base, Options(new LoraOptions { Rank = 8 }, 1), adapter: adapter));
        Assert.Contains("rank 4", rankError.Message);
        using var full = new LlamaTrainer(data.Base, Options(new LoraOptions(), 1) with { Lora = null });
        Assert.Throws<InvalidOperationException>(() => full.Adapter());
        Assert.Throws<ArgumentException>(() => new LoraOptions { Targets = ["q", "lm_head"] }.Validated());
    }
}

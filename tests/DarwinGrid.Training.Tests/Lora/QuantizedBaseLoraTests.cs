using System.Security.Cryptography;
using DarwinGrid.Training.Gguf;
using DarwinGrid.Training.Graph;
using DarwinGrid.Training.Lora;
using DarwinGrid.Training.Models;
using DarwinGrid.Training.Optimization;
using DarwinGrid.Training.Tests.Graph;
using LLama.Native;
using Xunit.Abstractions;

namespace DarwinGrid.Training.Tests.Lora;

/// <summary>
/// QLoRA-style training: the frozen base stays in its quantized type inside ggml (no F32 copy), only
/// the adapter trains, and the graph's logits on the quantized file equal llama.cpp's.
/// </summary>
public sealed class QuantizedBaseLoraTests(BandGapRecords data, ITestOutputHelper output) : IClassFixture<BandGapRecords>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("qlora-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static TrainerOptions Options(int steps) => new()
    {
        Lora = new LoraOptions { Rank = 8, Alpha = 16, Targets = ["q", "v"] }, BatchRows = 16, LearningRate = 1e-2f, WarmupSteps = 2, Epochs = 2,
        MaxSteps = steps, Seed = 5, Threads = 2, MinLearningRateFraction = 0.5f,
    };

    [Theory]
    [InlineData(LLamaFtype.MOSTLY_Q8_0, false)]
    [InlineData(LLamaFtype.MOSTLY_Q4_K_M, true)]
    public void LoraOnAQuantizedBaseTrainsWithTheBaseHeldInItsOwnType(LLamaFtype type, bool tied)
    {
        var vocabulary = data.Tokenizer.Vocabulary;
        var path = QuantizedBase.Write(_dir, QuantizedBase.Shape(vocabulary.Count, tied), vocabulary, type);
        var hashBefore = Sha256(path);
        var baseModel = LlamaCheckpoint.Open(path);

        using var trainer = new LlamaTrainer(baseModel, Options(steps: 6));
        var shape = trainer.Hyperparameters;
        var f32Bytes = shape.ParameterCount * sizeof(float);
        output.WriteLine($"{type}: base buffer {trainer.BaseBufferBytes:N0} bytes (F32 would be {f32Bytes:N0}); " +
                         string.Join(", ", LlamaTensorLayout.Enumerate(shape).Select(s => $"{s.Name} {trainer.BaseTensorType(s.Name)}").Take(6)));
        foreach (var spec in LlamaTensorLayout.Enumerate(shape).Where(s => s.Dimensions.Length == 2))
        {
            var held = trainer.BaseTensorType(spec.Name);
            Assert.True(held is not GgmlType.F32 and not GgmlType.F16, $"{spec.Name} is held as {held}");
        }
        Assert.True(trainer.BaseBufferBytes < f32Bytes / 3, $"base buffer {trainer.BaseBufferBytes} bytes");

        var before = trainer.Evaluate(data.Validation);
        var result = trainer.Train(data.Training, data.Validation);
        var after = trainer.Evaluate(data.Validation);
        output.WriteLine($"validation loss {before.Loss:F4} -> {after.Loss:F4} after {result.Steps} steps ({result.TokensPerSecond:F0} tokens/s)");
        Assert.True(after.Loss < before.Loss - 0.1, $"validation loss {before.Loss:F4} -> {after.Loss:F4}");
        Assert.Equal(hashBefore, Sha256(path));
        Assert.All(trainer.Trainable, t => Assert.Matches(@"^blk\.\d+\.attn_(q|v)\.weight\.lora_[ab]$", t.Name));
    }

    [Theory]
    [InlineData(LLamaFtype.MOSTLY_Q8_0, false)]
    [InlineData(LLamaFtype.MOSTLY_Q4_K_M, false)]
    [InlineData(LLamaFtype.MOSTLY_Q4_K_M, true)]
    [InlineData(LLamaFtype.MOSTLY_F16, true)]
    public void LogitsOnAQuantizedFileEqualLlamaCppOnTheSameFile(LLamaFtype type, bool tied)
    {
        var vocabulary = data.Tokenizer.Vocabulary;
        var path = QuantizedBase.Write(_dir, QuantizedBase.Shape(vocabulary.Count, tied), vocabulary, type);
        var tokens = LlamaCppOracle.Tokenize(path, "What is band gap of Ag0.5Ge1Pb1.75S4? -> 1.83");

        using var forward = new LlamaForward(LlamaCheckpoint.Open(path), threads: 2);
        var ours = forward.Logits(tokens);
        var theirs = LlamaCppOracle.Logits(path, tokens);
        var absolute = MaxAbsoluteDifference(ours, theirs);
        output.WriteLine($"{type} (tied {tied}), {tokens.Length} tokens: max |Δlogit| {absolute:E2}, relative {LlamaCppOracle.MaxRelativeDifference(ours, theirs):E2}");
        // Measured: Q8_0 0, Q4_K_M <= 2.2e-6: no activation of this model sits on a half 8-bit step, where one ulp
        // upstream changes its rounding (QuantizedProductsMatchLlamaCppTests holds every product to 1e-4 regardless).
        // F16 1.4e-3 (relative 3.8e-4): llama.cpp's F16 products take another path than ggml's graph here.
        var tolerance = type == LLamaFtype.MOSTLY_F16 ? 3e-3 : 1e-4;
        Assert.True(absolute <= tolerance, $"max |Δlogit| {absolute:E3}");
        Assert.Equal(theirs.Select(LlamaGraphMatchesLlamaCppTests.ArgMax), ours.Select(LlamaGraphMatchesLlamaCppTests.ArgMax));
    }

    [Fact]
    public void RopeFrequencyFactorsAreAcceptedAppliedAsLlamaCppDoesAndTrainedThrough()
    {
        var vocabulary = data.Tokenizer.Vocabulary;
        var path = QuantizedBase.Write(_dir, QuantizedBase.Shape(vocabulary.Count, ropeFrequencies: true), vocabulary, LLamaFtype.MOSTLY_Q8_0);
        var tokens = LlamaCppOracle.Tokenize(path, "What is band gap of Ag0.5Ge1Pb1.75S4? -> 1.83 and of SiO2? -> 8.9");
        var baseModel = LlamaCheckpoint.Open(path);
        Assert.True(baseModel.Hyperparameters.RopeFrequencyFactors);

        using (var forward = new LlamaForward(baseModel, threads: 2))
        {
            var ours = forward.Logits(tokens);
            var theirs = LlamaCppOracle.Logits(path, tokens);
            var absolute = MaxAbsoluteDifference(ours, theirs);
            output.WriteLine($"rope_freqs, {tokens.Length} tokens: max |Δlogit| {absolute:E2}");
            Assert.True(absolute <= 1e-4, $"max |Δlogit| {absolute:E3}");
        }
        // Without the factors the logits are clearly different: the comparison above is sensitive to them.
        using (var plain = new LlamaForward(LlamaCheckpoint.Load(path).WithWeights(new Dictionary<string, float[]>(LlamaCheckpoint.Load(path).Weights)
               {
                   [LlamaTensorLayout.RopeFrequencies] = Enumerable.Repeat(1f, baseModel.Hyperparameters.HeadDimension / 2).ToArray(),
               }), threads: 2))
        {
            var difference = MaxAbsoluteDifference(plain.Logits(tokens), LlamaCppOracle.Logits(path, tokens));
            output.WriteLine($"factors set to 1: max |Δlogit| {difference:E2}");
            Assert.True(difference > 1e-2, $"factors 1 vs LLaMA-3.1's differ by only {difference:E3}");
        }

        using var trainer = new LlamaTrainer(baseModel, Options(steps: 6));
        var before = trainer.Evaluate(data.Validation);
        trainer.Train(data.Training, []);
        var after = trainer.Evaluate(data.Validation);
        output.WriteLine($"LoRA on the rope_freqs base: validation loss {before.Loss:F4} -> {after.Loss:F4}");
        Assert.True(after.Loss < before.Loss, $"validation loss {before.Loss:F4} -> {after.Loss:F4}");
        Assert.DoesNotContain(trainer.Trainable, t => t.Name.StartsWith("rope_freqs", StringComparison.Ordinal));
    }

    internal static double MaxAbsoluteDifference(float[][] ours, float[][] theirs) =>
        theirs.Select((row, i) => row.Select((v, j) => (double)Math.Abs(v - ours[i][j])).Max()).Max();

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream));
    }
}

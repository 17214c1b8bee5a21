using DarwinGrid.Training.Graph;
using DarwinGrid.Training.Models;
using DarwinGrid.Training.Optimization;
using DarwinGrid.Training.Tests.Gguf;
using DarwinGrid.Training.Tests.Graph;
using Xunit.Abstractions;

namespace DarwinGrid.Training.Tests.Optimization;

/// <summary>The trainer's loss is exactly the answer-token NLL, however records are laid out.</summary>
public sealed class TrainerLossTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("trainer-loss-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private LlamaCheckpoint RandomModel(int heads, int kvHeads, bool tied, out string path)
    {
        var vocabulary = TinyVocabulary.Create();
        var shape = new LlamaHyperparameters(vocabulary.Count, 64, 2, heads, kvHeads, 128, ContextLength: 256, TiedOutput: tied);
        path = Path.Combine(_dir, $"random-{heads}-{kvHeads}-{tied}.gguf");
        RandomLlamaModel.Write(path, shape, vocabulary, seed: 11, std: 0.1f);
        return LlamaCheckpoint.Load(path);
    }

    /// <summary>Records of different lengths, so packing puts several in a row at different offsets.</summary>
    private static List<TrainingRecord> MixedRecords(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => new TrainingRecord(
            [1, .. Enumerable.Range(0, random.Next(2, 14)).Select(_ => random.Next(3, 350))],
            [.. Enumerable.Range(0, random.Next(1, 5)).Select(_ => random.Next(3, 350))])).ToList();
    }

    [Theory]
    [InlineData(RecordLayout.Padded)]
    [InlineData(RecordLayout.Packed)]
    public void EvaluationLossIsTheMeanAnswerNllOfTheForwardLogits(RecordLayout layout)
    {
        var checkpoint = RandomModel(4, 2, tied: false, out _);
        using var forward = new LlamaForward(checkpoint);
        // Half the records answer with the model's own greedy token, so accuracy is neither 0 nor 1.
        var records = MixedRecords(40, seed: 3).Select((r, i) => i % 2 == 1 ? r
            : r with { ResponseTokens = [LlamaGraphMatchesLlamaCppTests.ArgMax(forward.Logits(r.PromptTokens)[^1])] }).ToList();
        double nll = 0, answers = 0, correct = 0;
        foreach (var record in records)
        {
            var logits = forward.Logits([.. record.PromptTokens, .. record.ResponseTokens]);
            for (var j = 0; j < record.ResponseTokens.Length; j++)
            {
                var row = logits[record.PromptTokens.Length - 1 + j];
                var max = row.Max();
                var logSum = max + Math.Log(row.Sum(v => Math.Exp(v - max)));
                nll += logSum - row[record.ResponseTokens[j]];
                correct += LlamaGraphMatchesLlamaCppTests.ArgMax(row) == record.ResponseTokens[j] ? 1 : 0;
                answers++;
            }
        }

        using var trainer = new LlamaTrainer(checkpoint, new TrainerOptions { Layout = layout, BatchRows = 4 });
        var result = trainer.Evaluate(records);
        output.WriteLine($"{layout}: trainer {result}, reference loss {nll / answers} accuracy {correct / answers}");
        Assert.Equal((int)answers, result.AnswerTokens);
        Assert.Equal(nll / answers, result.Loss, 1e-4);
        Assert.Equal(correct / answers, result.Accuracy, 1e-9);
        Assert.InRange(result.Accuracy, 0.2, 0.8);
    }

    [Fact]
    public void AccumulatingTwoHalfBatchesEqualsOneFullBatch()
    {
        var checkpoint = RandomModel(4, 4, tied: true, out _);
        var records = CopyTask.Records(32, 4, seed: 9);   // equal answer counts per row
        var common = new TrainerOptions { Layout = RecordLayout.Padded, LearningRate = 1e-3f, Epochs = 1, MaxSteps = 1, Seed = 4 };
        using var full = new LlamaTrainer(checkpoint, common with { BatchRows = 16 });
        using var halves = new LlamaTrainer(checkpoint, common with { BatchRows = 8, GradientAccumulation = 2 });
        Assert.Equal(1, full.Train(records, []).Steps);
        Assert.Equal(1, halves.Train(records, []).Steps);

        var a = full.Checkpoint().Weights;
        var b = halves.Checkpoint().Weights;
        var worst = a.Keys.Max(name => a[name].Zip(b[name]).Max(p => Math.Abs(p.First - p.Second)));
        var moved = a.Keys.Max(name => a[name].Zip(checkpoint.Weights[name]).Max(p => Math.Abs(p.First - p.Second)));
        output.WriteLine($"largest update {moved:E2}, largest difference between the two {worst:E2}");
        Assert.True(moved > 5e-4, $"the step moved weights by at most {moved}");
        Assert.True(worst < moved * 1e-2, $"accumulated and full-batch steps differ by {worst}");
    }

    [Theory]
    [InlineData(4, 4, false)]
    [InlineData(4, 2, true)]
    public void TrainedWeightsWrittenAsGgufGiveLlamaCppTheSameLogits(int heads, int kvHeads, bool tied)
    {
        var checkpoint = RandomModel(heads, kvHeads, tied, out _);
        using var trainer = new LlamaTrainer(checkpoint, new TrainerOptions { BatchRows = 8, LearningRate = 2e-3f, MaxSteps = 15, Epochs = 3 });
        trainer.Train(CopyTask.Records(200, 5, seed: 1), []);
        var trained = trainer.Checkpoint();
        var path = Path.Combine(_dir, "trained.gguf");
        trained.Save(path);

        var tokens = CopyTask.Records(1, 6, seed: 5).Select(r => r.PromptTokens.Concat(r.ResponseTokens).ToArray()).Single();
        using var forward = new LlamaForward(LlamaCheckpoint.Load(path));
        var ours = forward.Logits(tokens);
        var theirs = LlamaCppOracle.Logits(path, tokens);
        var relative = LlamaCppOracle.MaxRelativeDifference(ours, theirs);
        output.WriteLine($"after training: max relative difference {relative:E2}");
        Assert.True(relative < 1e-4, $"max relative difference {relative:E3}");
        Assert.Equal(theirs.Select(LlamaGraphMatchesLlamaCppTests.ArgMax), ours.Select(LlamaGraphMatchesLlamaCppTests.ArgMax));
        // The file really holds trained weights, with the original metadata and vocabulary.
        Assert.NotEqual(checkpoint.Weights[LlamaBlockTensor.AttnQ.In(0)], trained.Weights[LlamaBlockTensor.AttnQ.In(0)]);
        using var file = DarwinGrid.Training.Gguf.GgufFile.Open(path);
        Assert.Equal(TinyVocabulary.Create().Pieces, LlamaGguf.ReadVocabulary(file).Pieces);
        Assert.Equal(checkpoint.Hyperparameters, LlamaGguf.ReadHyperparameters(file));
    }
}

using DarwinGrid.Training.Models;
using DarwinGrid.Training.Optimization;
using DarwinGrid.Training.Tests.Gguf;
using Xunit.Abstractions;

namespace DarwinGrid.Training.Tests.Optimization;

public sealed class TrainerControlTests(ITestOutputHelper output)
{
    private static LlamaCheckpoint Model(int embd, int layers, int heads, int kvHeads, int seed = 1)
    {
        var vocabulary = TinyVocabulary.Create();
        var shape = new LlamaHyperparameters(vocabulary.Count, embd, layers, heads, kvHeads, 2 * embd, ContextLength: 128);
        return new LlamaCheckpoint(shape, [], RandomLlamaModel.CreateWeights(shape, seed));
    }

    [Fact]
    public void ThirtyTwoLayersTrainBeyondGgmlOptsStaticGraphLimit()
    {
        // ggml-opt's static graphs hold 2048 nodes (15 layers); our own graphs are sized per layer.
        var model = Model(16, 32, 2, 1);
        var records = CopyTask.Records(16, 3, seed: 1);
        using var trainer = new LlamaTrainer(model, new TrainerOptions { BatchRows = 4, MaxSteps = 2, LearningRate = 1e-3f });
        var result = trainer.Train(records, records);
        Assert.Equal(2, result.Steps);
        Assert.True(double.IsFinite(result.Epochs[0].Validation!.Loss));
        var trained = trainer.Checkpoint().Weights;
        Assert.NotEqual(model.Weights[LlamaBlockTensor.FfnDown.In(31)], trained[LlamaBlockTensor.FfnDown.In(31)]);
        Assert.NotEqual(model.Weights[LlamaBlockTensor.AttnQ.In(0)], trained[LlamaBlockTensor.AttnQ.In(0)]);
    }

    [Fact]
    public void ProgressIsReportedPerStepAndPerEpochAndCancellationStopsBetweenSteps()
    {
        var records = CopyTask.Records(64, 3, seed: 1);
        using var trainer = new LlamaTrainer(Model(32, 1, 2, 2), new TrainerOptions { BatchRows = 4, Epochs = 3, Layout = RecordLayout.Padded });
        var events = new List<TrainingProgress>();
        using var cancellation = new CancellationTokenSource();
        var progress = new Reporter(p =>
        {
            events.Add(p);
            if (p.Kind == TrainingProgressKind.Step && p.Step == 20) cancellation.Cancel();
        });
        Assert.Throws<OperationCanceledException>(() => trainer.Train(records, records[..8], progress, cancellation.Token));

        var steps = events.Where(e => e.Kind == TrainingProgressKind.Step).ToList();
        Assert.Equal(Enumerable.Range(1, 20), steps.Select(e => e.Step));
        Assert.All(steps, e => Assert.Equal(48, e.TotalSteps));   // 3 epochs x 64 records / 4 rows
        Assert.All(steps, e => Assert.True(e.TokensPerSecond > 0 && e.LearningRate > 0 && double.IsFinite(e.TrainLoss)));
        var epoch = Assert.Single(events, e => e.Kind == TrainingProgressKind.Epoch);
        Assert.Equal(16, epoch.Step);
        Assert.NotNull(epoch.ValidationLoss);
        Assert.InRange(epoch.ValidationAccuracy!.Value, 0, 1);
        Assert.True(steps[^1].EstimatedRemaining > TimeSpan.Zero);
    }

    [Fact]
    public void EarlyStoppingEndsARunThatStopsImprovingAndRestoresTheBestWeights()
    {
        // Validation answers are random, so after the first epoch nothing the model learns helps.
        var training = CopyTask.Records(64, 3, seed: 1);
        var random = new Random(4);
        var validation = CopyTask.Records(32, 3, seed: 2)
            .Select(r => r with { ResponseTokens = [.. r.ResponseTokens.Select(_ => random.Next(3, 300))] }).ToList();
        using var trainer = new LlamaTrainer(Model(32, 1, 2, 2), new TrainerOptions
        {
            BatchRows = 8, Epochs = 30, LearningRate = 1e-2f, EarlyStoppingPatience = 2, RestoreBestWeights = true,
        });
        var result = trainer.Train(training, validation);
        output.WriteLine(string.Join("\n", result.Epochs));
        Assert.True(result.StoppedEarly);
        Assert.True(result.Epochs.Count < 30);
        Assert.Equal(result.BestEpoch + 2, result.Epochs.Count);
        var best = result.Epochs[result.BestEpoch - 1].Validation!.Loss;
        Assert.Equal(best, trainer.Evaluate(validation).Loss, 1e-4);
    }

    [Fact]
    public void BadInputIsRejectedWithTheReason()
    {
        using var trainer = new LlamaTrainer(Model(32, 1, 2, 2), new TrainerOptions { BatchRows = 2, WindowLength = 8 });
        Assert.Contains("record 1 has no response", Assert.Throws<ArgumentException>(() =>
            trainer.Train([new TrainingRecord([1, 5], [6]), new TrainingRecord([1, 5], [])], [])).Message);
        Assert.Contains("token 9999", Assert.Throws<ArgumentException>(() =>
            trainer.Train([new TrainingRecord([1, 9999], [6])], [])).Message);
        Assert.Contains("window of 8", Assert.Throws<ArgumentException>(() =>
            trainer.Train([new TrainingRecord([1, .. Enumerable.Repeat(5, 10)], [6])], [])).Message);
        Assert.Contains("LearningRate", Assert.Throws<ArgumentException>(() => new TrainerOptions { LearningRate = 0 }.Validated()).Message);
    }

    private sealed class Reporter(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}

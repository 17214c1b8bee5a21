using DarwinGrid.Training.Models;
using DarwinGrid.Training.Optimization;
using DarwinGrid.Training.Tests.Gguf;

namespace DarwinGrid.Training.Tests.Optimization;

/// <summary>Saving the trainer's state between steps and continuing from it: the loss curve and weights of an uninterrupted run.</summary>
public sealed class TrainerResumeTests
{
    private static LlamaCheckpoint Model()
    {
        var vocabulary = TinyVocabulary.Create();
        var shape = new LlamaHyperparameters(vocabulary.Count, 32, 1, 2, 2, 64, ContextLength: 128);
        return new LlamaCheckpoint(shape, [], RandomLlamaModel.CreateWeights(shape, 1));
    }

    // Accumulation 2 (a step spans micro-batches), early stopping and best-weight restore all carry state across a resume.
    private static readonly TrainerOptions Options = new()
    {
        BatchRows = 4, Threads = 1, Layout = RecordLayout.Padded, Epochs = 4, GradientAccumulation = 2, WarmupSteps = 2,
        LearningRate = 5e-3f, EarlyStoppingPatience = 3, RestoreBestWeights = true, WeightDecay = 0.01f,
    };

    private static readonly List<TrainingRecord> Training = CopyTask.Records(40, 3, seed: 1);
    private static readonly List<TrainingRecord> Validation = CopyTask.Records(8, 3, seed: 2);

    private static IReadOnlyList<TrainingRecord> Epoch(int epoch) => epoch % 2 == 0 ? Training : Training[..36];

    private sealed record Run(List<(int Step, double Loss)> Steps, List<TrainerState> Saved, TrainingResult Result, IReadOnlyDictionary<string, float[]> Weights);

    private static Run Train(TrainerState? from, int everySteps)
    {
        var steps = new List<(int, double)>();
        var saved = new List<TrainerState>();
        using var trainer = new LlamaTrainer(Model(), Options);
        var progress = new Reporter(p =>
        {
            if (p.Kind != TrainingProgressKind.Step) return;
            steps.Add((p.Step, p.StepLoss!.Value));
        });
        var checkpointing = new TrainerCheckpointing { EverySteps = everySteps, Save = saved.Add, ResumeFrom = from };
        var result = trainer.Train(Epoch, Validation, progress, default, checkpointing);
        return new Run(steps, saved, result, trainer.Checkpoint().Weights);
    }

    [Fact]
    public void ContinuingFromAStateSavedMidEpochOrAtAnEpochEndGivesTheUninterruptedLossCurveAndWeights()
    {
        var whole = Train(null, everySteps: 3);
        Assert.Equal(19, whole.Result.Steps);   // 10 + 9 + 10 + 9 micro-batches, 2 per step (accumulation spans epochs)
        var midEpoch = whole.Saved.First(s => s.Cursor is { Step: 6, BatchInEpoch: > 0 });
        var epochEnd = whole.Saved.First(s => s.Cursor is { Epoch: 1, BatchInEpoch: 0 });
        // Epoch 2 ends inside an accumulation (micro-batch 19 of steps of 2): no state is complete there.
        Assert.DoesNotContain(whole.Saved, s => s.Cursor is { Epoch: 2, BatchInEpoch: 0 });
        Assert.NotNull(epochEnd.BestWeights);

        foreach (var state in new[] { midEpoch, epochEnd })
        {
            var resumed = Train(state, everySteps: 3);
            Assert.Equal(whole.Steps.Where(s => s.Step > state.Cursor.Step), resumed.Steps);
            Assert.Equal(whole.Result.Epochs, resumed.Result.Epochs);
            Assert.Equal(whole.Result.BestEpoch, resumed.Result.BestEpoch);
            foreach (var (name, values) in whole.Weights) Assert.Equal(values, resumed.Weights[name]);
        }
    }

    [Fact]
    public void CancellingBetweenStepsSavesThatStepSoNothingIsLost()
    {
        var whole = Train(null, everySteps: 0);
        // Saved by the cancellation itself (no interval): the next run goes on from step 7.
        var saved = new List<TrainerState>();
        using (var cancellation = new CancellationTokenSource())
        using (var trainer = new LlamaTrainer(Model(), Options))
        {
            var progress = new Reporter(p => { if (p.Kind == TrainingProgressKind.Step && p.Step == 7) cancellation.Cancel(); });
            Assert.Throws<OperationCanceledException>(() =>
                trainer.Train(Epoch, Validation, progress, cancellation.Token, new TrainerCheckpointing { Save = saved.Add }));
        }
        var last = saved[^1];
        Assert.Equal(7, last.Cursor.Step);
        Assert.False(last.Cursor.Finished);
        Assert.Equal(whole.Steps.Where(s => s.Step > 7), Train(last, everySteps: 0).Steps);
    }

    [Fact]
    public void AStatePlannedForAnotherRunIsRefused()
    {
        var state = Train(null, everySteps: 5).Saved[0];
        using var trainer = new LlamaTrainer(Model(), Options with { Epochs = 2 });
        var error = Assert.Throws<ArgumentException>(() =>
            trainer.Train(Epoch, Validation, null, default, new TrainerCheckpointing { Save = _ => { }, ResumeFrom = state }));
        Assert.Contains("planned for 20 steps", error.Message);
    }

    [Fact]
    public void AHugeLearningRateIsReportedAsDivergenceAndNothingNonFiniteIsSaved()
    {
        var saved = new List<TrainerState>();
        using var trainer = new LlamaTrainer(Model(), Options with { LearningRate = 1e6f, WarmupSteps = 0, GradientAccumulation = 1 });
        var error = Assert.Throws<TrainingDivergedException>(() =>
            trainer.Train(Epoch, Validation, null, default, new TrainerCheckpointing { EverySteps = 1, Save = saved.Add }));
        Assert.Contains("Training diverged", error.Message);
        Assert.All(saved, s => Assert.Null(s.Optimizer.FirstNonFinite()));
    }

    private sealed class Reporter(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}

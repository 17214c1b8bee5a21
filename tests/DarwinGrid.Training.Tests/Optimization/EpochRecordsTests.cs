using DarwinGrid.Training.Models;
using DarwinGrid.Training.Optimization;
using DarwinGrid.Training.Tests.Gguf;

namespace DarwinGrid.Training.Tests.Optimization;

/// <summary>Training on a new record list per epoch (the mixture's epochs), the time limit, per-step loss and answer-slot sizing.</summary>
public sealed class EpochRecordsTests
{
    private static LlamaCheckpoint Model()
    {
        var vocabulary = TinyVocabulary.Create();
        var shape = new LlamaHyperparameters(vocabulary.Count, 32, 1, 2, 2, 64, ContextLength: 128);
        return new LlamaCheckpoint(shape, [], RandomLlamaModel.CreateWeights(shape, 1));
    }

    private static readonly TrainerOptions Options = new() { BatchRows = 4, Threads = 1, Layout = RecordLayout.Padded, Epochs = 3 };

    [Fact]
    public void EachEpochTrainsOnTheRecordsItsSourceGivesForThatEpoch()
    {
        var perEpoch = Enumerable.Range(0, 3).Select(e => CopyTask.Records(8 + 4 * e, 3, seed: e)).ToArray();
        var asked = new List<int>();
        using var trainer = new LlamaTrainer(Model(), Options);
        var events = new List<TrainingProgress>();
        var result = trainer.Train(e => { asked.Add(e); return perEpoch[e]; }, perEpoch[0][..4], new Reporter(events.Add));

        Assert.Equal([0, 1, 2], asked);
        // Steps follow each epoch's own size (8, 12, 16 records / 4 rows), but the schedule is planned
        // from epoch 0 (3 x 2 steps) and ends the run there: the last epoch is cut and still validated.
        var lastStepPerEpoch = events.Where(e => e.Kind == TrainingProgressKind.Epoch).Select(e => e.Step).ToArray();
        Assert.Equal([2, 5, 6], lastStepPerEpoch);
        Assert.Equal(6, result.Steps);
        Assert.Equal(6, result.PlannedSteps);
        Assert.All(result.Epochs, e => Assert.NotNull(e.Validation));
        Assert.All(events.Where(e => e.Kind == TrainingProgressKind.Step), e => Assert.True(e.StepLoss is > 0 and < 20));
    }

    [Fact]
    public void ALaterEpochWithARecordLongerThanTheWindowIsRejectedByName()
    {
        using var trainer = new LlamaTrainer(Model(), Options);
        var error = Assert.Throws<ArgumentException>(() =>
            trainer.Train(e => CopyTask.Records(8, e == 0 ? 3 : 6, seed: e), []));
        Assert.Contains("Epoch 1, record 0 has 15 tokens, more than the window of 9 tokens", error.Message);
    }

    [Fact]
    public void TheTimeLimitEndsTheRunAfterAStepAndTheCutEpochIsStillValidated()
    {
        var records = CopyTask.Records(64, 3, seed: 1);
        using var trainer = new LlamaTrainer(Model(), Options with { MaxDuration = TimeSpan.FromTicks(1) });
        var result = trainer.Train(records, records[..8]);
        Assert.True(result.StoppedByTimeLimit);
        Assert.Equal(1, result.Steps);
        Assert.Equal(48, result.PlannedSteps);
        var epoch = Assert.Single(result.Epochs);
        Assert.NotNull(epoch.Validation);
    }

    [Fact]
    public void UnderATimeBudgetTheDecayFollowsTheClockWhenItIsAheadOfTheSteps()
    {
        var schedule = new LearningRateSchedule(Peak: 1f, Floor: 0.1f, WarmupSteps: 10, TotalSteps: 111);
        Assert.Equal(schedule.At(5), schedule.At(5, 0.9));                // warmup is counted in steps
        Assert.Equal(schedule.At(60), schedule.At(60, 0.2), 6);           // steps ahead (half-way): steps decide
        Assert.Equal(0.55f, schedule.At(20, 0.5), 6);                     // clock ahead: half-way down the cosine
        Assert.Equal(0.1f, schedule.At(20, 1.0), 6);                      // budget spent: the floor
        Assert.Equal(schedule.At(110), schedule.At(110, 0.3), 6);
    }

    [Theory]
    [InlineData(1000.0, 400.0, 2)]
    [InlineData(300.0, 900.0, 1)]
    public void TheThreadProbeTimesAllCoresThenOneCoreAndKeepsTheFaster(double allCoresRate, double oneCoreRate, int expected)
    {
        var probe = new ThreadProbe(cores: 2, stepsPerPhase: 2);
        var second = TimeSpan.FromSeconds(1);
        Assert.Null(probe.AfterStep(1, 99_999, second));                       // warm-up step: not timed
        Assert.Null(probe.AfterStep(2, (long)allCoresRate, second));
        Assert.Equal(1, probe.AfterStep(3, (long)allCoresRate, second));        // switch to one core
        Assert.Null(probe.AfterStep(4, (long)oneCoreRate, second));
        var last = probe.AfterStep(5, (long)oneCoreRate, second);
        Assert.True(probe.Done);
        Assert.Equal(expected, probe.Threads);
        Assert.Equal(expected == 2 ? 2 : null, last);
        Assert.Equal(allCoresRate, probe.AllCoresRate);
        Assert.Equal(oneCoreRate, probe.OneCoreRate);
        Assert.Null(probe.AfterStep(6, 1, second));
    }

    [Fact]
    public void WithTheProbeOnARunMeasuresBothSettingsAndStillTrainsEveryStep()
    {
        var records = CopyTask.Records(64, 3, seed: 1);
        using var trainer = new LlamaTrainer(Model(), Options with { Threads = 0, ProbeThreads = true, Epochs = 1 });
        var result = trainer.Train(records, []);
        Assert.Equal(16, result.Steps);
        if (Environment.ProcessorCount < 2)
        {
            Assert.Null(result.AllCoresTokensPerSecond);
            return;
        }
        Assert.True(result.AllCoresTokensPerSecond > 0 && result.OneCoreTokensPerSecond > 0);
        Assert.Equal(result.OneCoreTokensPerSecond > result.AllCoresTokensPerSecond ? 1 : Environment.ProcessorCount, result.Threads);
    }

    [Fact]
    public void AnswerSlotHeadroomShrinksTheOutputHeadButEveryAnswerTokenIsStillTrained()
    {
        var random = new Random(5);
        var records = Enumerable.Range(0, 200).Select(i => CopyTask.Records(1, 1 + random.Next(6), seed: i)[0]).ToList();
        var packed = new TrainerOptions { BatchRows = 4, WindowLength = 32 };
        var full = BatchLayout.For(records, packed, TinyVocabulary.Create().Count, 128);
        var trimmed = BatchLayout.For(records, packed with { AnswerSlotHeadroom = 1.2 }, TinyVocabulary.Create().Count, 128);

        var answerFraction = (double)records.Sum(r => r.ResponseTokens.Length) / records.Sum(r => r.Length);
        Assert.Equal((int)Math.Ceiling(1.2 * 4 * 32 * answerFraction), trimmed.AnswerSlots);
        Assert.True(trimmed.AnswerSlots < full.AnswerSlots, $"{trimmed.AnswerSlots} vs {full.AnswerSlots}");
        var batches = BatchPlanner.Plan(records, trimmed).ToList();
        Assert.Equal(records.Sum(r => r.ResponseTokens.Length), batches.Sum(b => b.AnswerCount));
        Assert.Equal(records.Sum(r => r.Length), batches.Sum(b => b.RecordTokens));
    }

    private sealed class Reporter(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}

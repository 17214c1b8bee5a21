namespace DarwinGrid.Training.Optimization;

/// <summary>The counters of one <see cref="LlamaTrainer.Train(Func{int, IReadOnlyList{TrainingRecord}}, IReadOnlyList{TrainingRecord}, IProgress{TrainingProgress}?, CancellationToken, TrainerCheckpointing?)"/> call, fresh or restored from a <see cref="TrainerCursor"/>.</summary>
internal sealed class RunState
{
    public int Step;
    public int MicroStep;
    public int Epoch;
    public int BatchInEpoch;
    public double EpochLossSum;
    public int EpochAnswers;
    public int EpochCorrect;
    public long TrainedTokens;
    public TimeSpan ElapsedBefore;
    public List<EpochSummary> Epochs = [];
    public double BestLoss = double.PositiveInfinity;
    public int BestEpoch = -1;
    public int EpochsWithoutImprovement;
    public bool StoppedEarly;
    public bool StoppedByTimeLimit;
    public bool Finished;
    public Dictionary<string, float[]>? BestWeights;

    public static RunState From(TrainerState state, int plannedSteps)
    {
        var c = state.Cursor;
        if (c.PlannedSteps != plannedSteps)
            throw new ArgumentException($"The saved training state was planned for {c.PlannedSteps} steps, this run plans {plannedSteps}: the data or the options differ.");
        return new RunState
        {
            Step = c.Step,
            MicroStep = c.MicroStep,
            Epoch = c.Epoch,
            BatchInEpoch = c.BatchInEpoch,
            EpochLossSum = c.EpochLossSum,
            EpochAnswers = c.EpochAnswers,
            EpochCorrect = c.EpochCorrect,
            TrainedTokens = c.TrainedTokens,
            ElapsedBefore = c.Elapsed,
            Epochs = [.. c.Epochs],
            BestLoss = c.BestLoss,
            BestEpoch = c.BestEpoch,
            EpochsWithoutImprovement = c.EpochsWithoutImprovement,
            StoppedEarly = c.StoppedEarly,
            StoppedByTimeLimit = c.StoppedByTimeLimit,
            Finished = c.Finished,
            BestWeights = state.BestWeights?.ToDictionary(w => w.Key, w => w.Value, StringComparer.Ordinal),
        };
    }

    public void StartEpoch()
    {
        EpochLossSum = 0;
        EpochAnswers = 0;
        EpochCorrect = 0;
    }

    public TrainerCursor Cursor(int epoch, int batchInEpoch, int plannedSteps, TimeSpan elapsed, int threads, bool stoppedByTimeLimit, bool finished) =>
        new(Step, MicroStep, epoch, batchInEpoch, plannedSteps, EpochLossSum, EpochAnswers, EpochCorrect, TrainedTokens, elapsed, threads,
            [.. Epochs], BestLoss, BestEpoch, EpochsWithoutImprovement, StoppedEarly, stoppedByTimeLimit || StoppedByTimeLimit, finished);
}

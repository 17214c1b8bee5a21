namespace DarwinGrid.Training.Optimization;

/// <summary>
/// When <see cref="TrainerCheckpointing.Save"/> is called: every N optimizer steps, at each epoch end that is not
/// inside an accumulation, and on cancellation between optimizer steps (unless that step is already saved).
/// A state with a non-finite tensor is never saved.
/// </summary>
internal sealed class CheckpointPolicy(
    TrainerCheckpointing checkpointing,
    TrainingGraph graph,
    TrainerOptions options,
    RunState run,
    int totalSteps,
    TimeBudget budget,
    RunClock clock,
    Func<int> threads) : ITrainingObserver
{
    private int _lastSavedStep = checkpointing.ResumeFrom is null ? -1 : run.Step;

    private bool BetweenOptimizerSteps => run.MicroStep % options.GradientAccumulation == 0;

    public void Cancelled(int epoch, int batchInEpoch)
    {
        // Between optimizer steps the state is complete: keep it so the run can go on from here.
        if (BetweenOptimizerSteps && run.Step != _lastSavedStep) Save(epoch, batchInEpoch, finished: false);
    }

    public bool AfterStep(StepEnd step)
    {
        if (checkpointing.EverySteps > 0 && run.Step % checkpointing.EverySteps == 0) Save(step.Epoch, step.BatchInEpoch, finished: false);
        return false;
    }

    public void AfterEpoch(int epoch, EpochSummary summary)
    {
        var last = run.StoppedEarly || budget.OutOfTime || run.Step >= totalSteps || epoch + 1 >= options.Epochs;
        // Mid-accumulation (an epoch that ends inside an optimizer step) the gradient sums are not saved: wait for the next step.
        if (BetweenOptimizerSteps) Save(epoch + 1, 0, finished: last, stoppedByTime: budget.OutOfTime);
    }

    private void Save(int epoch, int batchInEpoch, bool finished, bool stoppedByTime = false)
    {
        var optimizer = graph.DownloadOptimizerState();
        if (optimizer.FirstNonFinite() is { } bad)
            throw new TrainingDivergedException($"Training diverged: tensor '{bad}' is not finite at step {run.Step} (lower the learning rate); no checkpoint was written.");
        checkpointing.Save(new TrainerState(run.Cursor(epoch, batchInEpoch, totalSteps, clock.Elapsed, threads(), stoppedByTime, finished), optimizer, run.BestWeights));
        _lastSavedStep = run.Step;
    }
}

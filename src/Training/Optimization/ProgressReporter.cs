namespace DarwinGrid.Training.Optimization;

/// <summary>Reports a <see cref="TrainingProgress"/> after every optimizer step and every epoch.</summary>
internal sealed class ProgressReporter(IProgress<TrainingProgress> progress, RunState run, int totalSteps, LearningRateSchedule schedule, TimeBudget budget, RunClock clock)
    : ITrainingObserver
{
    public bool AfterStep(StepEnd step)
    {
        progress.Report(new TrainingProgress(TrainingProgressKind.Step, step.Epoch + 1, run.Step, totalSteps, run.EpochLossSum / run.EpochAnswers,
            step.LearningRate, run.TrainedTokens / step.Elapsed.TotalSeconds, step.Elapsed, budget.Remaining(step.Elapsed, run.Step, totalSteps), run.TrainedTokens)
        {
            StepLoss = step.StepLoss,
        });
        return false;
    }

    public void AfterEpoch(int epoch, EpochSummary summary)
    {
        var now = clock.Elapsed;
        progress.Report(new TrainingProgress(TrainingProgressKind.Epoch, epoch + 1, run.Step, totalSteps, summary.TrainLoss,
            schedule.At(Math.Max(0, run.Step - 1), budget.Fraction(now)), run.TrainedTokens / now.TotalSeconds, now, budget.Remaining(now, run.Step, totalSteps),
            run.TrainedTokens, summary.Validation?.Loss, summary.Validation?.Accuracy));
    }
}

namespace DarwinGrid.Training.Optimization;

/// <summary>Ends the epoch at the run's last planned step (epochs x steps per epoch, capped by MaxSteps).</summary>
internal sealed class PlannedStepLimit(RunState run, int totalSteps) : ITrainingObserver
{
    public bool AfterStep(StepEnd step) => run.Step >= totalSteps;
}

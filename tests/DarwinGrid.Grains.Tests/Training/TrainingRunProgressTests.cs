using DarwinGrid.Grains.Training;

namespace DarwinGrid.Grains.Tests.Training;

public sealed class TrainingRunProgressTests
{
    private static TrainingJobProgress Step(int step, double loss, string? checkpoint = null) =>
        new("sft", 1, step, 100, loss, null, 50, TimeSpan.FromSeconds(step), TimeSpan.FromSeconds(100 - step), EndOfEpoch: false, checkpoint);

    [Fact]
    public void AResumedAttemptsReplayedStepsReplaceTheLostAttemptsPoints()
    {
        var state = new TrainingGrainState();
        TrainingRunProgress.Apply(state, [Step(1, 3.0), Step(2, 2.5, "step-2.checkpoint"), Step(3, 2.2), Step(4, 2.0)], maxLossPoints: 100);
        Assert.Equal([1, 2, 3, 4], state.LossCurve.Select(p => p.Step));

        // The next attempt resumed from step 2's checkpoint and replays step 3 with another loss.
        TrainingRunProgress.Apply(state, [Step(3, 2.3)], maxLossPoints: 100);

        Assert.Equal([1, 2, 3], state.LossCurve.Select(p => p.Step));
        Assert.Equal(2.3, state.LossCurve[^1].Loss);
        Assert.Equal(3, state.Step);
        Assert.Equal("step-2.checkpoint", state.LastCheckpoint);
        var status = TrainingRunProgress.Status(state, "run-1");
        Assert.Equal(TrainingRunState.None, status.State); // no spec stored: the run does not exist
        Assert.Equal(3, status.Step);
        Assert.Equal(TimeSpan.FromSeconds(97), status.Remaining);
    }

    [Fact]
    public void AFreshAttemptStartsItsProgressFromZero()
    {
        var state = new TrainingGrainState();
        TrainingRunProgress.Apply(state, [Step(1, 3.0), Step(2, 2.5)], maxLossPoints: 100);
        TrainingRunProgress.Reset(state);
        Assert.Empty(state.LossCurve);
        Assert.Equal(0, state.Step);
        Assert.Null(state.Loss);
        Assert.Null(state.Stage);
    }
}

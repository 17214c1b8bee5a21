using Microsoft.Extensions.Logging;

namespace DarwinGrid.Training.Optimization;

/// <summary><see cref="TrainerOptions.MaxDuration"/>: ends the run after the step that reaches it, and gives the schedule and the estimates the clock's share.</summary>
internal sealed class TimeBudget(TimeSpan? limit, RunState run, ILogger logger) : ITrainingObserver
{
    /// <summary>True once the limit ended this call's run.</summary>
    public bool OutOfTime { get; private set; }

    /// <summary>The share of the limit spent (0 without a limit).</summary>
    public double Fraction(TimeSpan elapsed) => limit is { } l ? elapsed / l : 0;

    /// <summary>At the current pace, capped by the time limit.</summary>
    public TimeSpan Remaining(TimeSpan elapsed, int step, int totalSteps)
    {
        var atPace = step > 0 ? elapsed / step * (totalSteps - step) : TimeSpan.Zero;
        return limit is { } l && l - elapsed < atPace ? (l > elapsed ? l - elapsed : TimeSpan.Zero) : atPace;
    }

    public bool AfterStep(StepEnd step)
    {
        if (limit is not { } l || step.Elapsed < l) return false;
        // Stop mid-epoch; the partial epoch is still validated so the result is scored.
        OutOfTime = true;
        logger.LogInformation("Stopping at step {Step}: the time limit of {Limit} is reached", run.Step, l);
        return true;
    }
}

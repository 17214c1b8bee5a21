namespace DarwinGrid.Training.Optimization;

/// <summary>Linear warmup to the peak rate, then cosine decay to a floor at the last step (or when the time budget is spent).</summary>
public sealed record LearningRateSchedule(float Peak, float Floor, int WarmupSteps, int TotalSteps)
{
    public static LearningRateSchedule From(TrainerOptions options, int totalSteps) =>
        new(options.LearningRate, options.LearningRate * options.MinLearningRateFraction, options.WarmupSteps, Math.Max(1, totalSteps));

    /// <summary>The rate for optimizer step <paramref name="step"/> (0-based).</summary>
    public float At(int step) => At(step, 0);

    /// <summary>
    /// The rate for step <paramref name="step"/> when a time budget is <paramref name="timeFraction"/>
    /// used up: the decay follows whichever is further along, the steps or the clock, so a run on a
    /// slow or busy machine still reaches the floor when its time is up instead of being cut at a high rate.
    /// </summary>
    public float At(int step, double timeFraction)
    {
        if (step < WarmupSteps) return Peak * (step + 1) / WarmupSteps;
        var decaySteps = Math.Max(1, TotalSteps - WarmupSteps - 1);
        var progress = Math.Clamp(Math.Max((double)(step - WarmupSteps) / decaySteps, timeFraction), 0, 1);
        return (float)(Floor + (Peak - Floor) * 0.5 * (1 + Math.Cos(Math.PI * progress)));
    }
}

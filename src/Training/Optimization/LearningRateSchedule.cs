namespace DarwinGrid.Training.Optimization;

/// <summary>Linear warmup to the peak rate, then cosine decay to a floor at the last step.</summary>
public sealed record LearningRateSchedule(float Peak, float Floor, int WarmupSteps, int TotalSteps)
{
    public static LearningRateSchedule From(TrainerOptions options, int totalSteps) =>
        new(options.LearningRate, options.LearningRate * options.MinLearningRateFraction, options.WarmupSteps, Math.Max(1, totalSteps));

    /// <summary>The rate for optimizer step <paramref name="step"/> (0-based).</summary>
    public float At(int step)
    {
        if (step < WarmupSteps) return Peak * (step + 1) / WarmupSteps;
        var decaySteps = Math.Max(1, TotalSteps - WarmupSteps - 1);
        var progress = Math.Clamp((double)(step - WarmupSteps) / decaySteps, 0, 1);
        return (float)(Floor + (Peak - Floor) * 0.5 * (1 + Math.Cos(Math.PI * progress)));
    }
}

namespace DarwinGrid.Training.Optimization;

/// <summary>
/// Where a run stands between two optimizer steps, with everything needed to continue it exactly:
/// the epoch and the number of micro-batches of that epoch's seeded order already trained (the
/// shuffle and the mixture are pure functions of seed and epoch, so this is the whole data cursor and
/// RNG state), the partial epoch's sums, the early-stopping state and the epochs finished so far.
/// </summary>
/// <param name="Step">Optimizer steps done (the next one is Step + 1; AdamW's bias correction uses it).</param>
/// <param name="MicroStep">Micro-batches done over all epochs.</param>
/// <param name="Epoch">The 0-based epoch in progress (or the next one when <paramref name="BatchInEpoch"/> is 0).</param>
/// <param name="BatchInEpoch">Micro-batches of <paramref name="Epoch"/>'s order already trained.</param>
/// <param name="PlannedSteps">The schedule's total steps; a resumed run must plan the same.</param>
/// <param name="Threads">CPU threads in use (the thread probe's choice is kept on resume).</param>
public sealed record TrainerCursor(
    int Step,
    int MicroStep,
    int Epoch,
    int BatchInEpoch,
    int PlannedSteps,
    double EpochLossSum,
    int EpochAnswers,
    int EpochCorrect,
    long TrainedTokens,
    TimeSpan Elapsed,
    int Threads,
    IReadOnlyList<EpochSummary> Epochs,
    double BestLoss,
    int BestEpoch,
    int EpochsWithoutImprovement,
    bool StoppedEarly,
    bool StoppedByTimeLimit,
    bool Finished);

/// <summary>A snapshot of a training run: the cursor, the trainable tensors with their AdamW moments, and the best epoch's weights when kept.</summary>
public sealed record TrainerState(TrainerCursor Cursor, OptimizerTensors Optimizer, IReadOnlyDictionary<string, float[]>? BestWeights);

/// <summary>How <see cref="LlamaTrainer"/> saves and resumes: <see cref="Save"/> is called on the training thread.</summary>
public sealed record TrainerCheckpointing
{
    /// <summary>Save after every this many optimizer steps (0: only at epoch ends and on cancellation).</summary>
    public int EverySteps { get; init; }

    public required Action<TrainerState> Save { get; init; }

    /// <summary>Continue from this state instead of starting at step 0.</summary>
    public TrainerState? ResumeFrom { get; init; }

    public TrainerCheckpointing Validated()
    {
        if (EverySteps < 0) throw new ArgumentException($"The checkpoint interval must not be negative (got {EverySteps}).");
        return this;
    }
}

/// <summary>The loss or the weights stopped being finite: the learning rate is too high for this model, or the data has a problem.</summary>
public sealed class TrainingDivergedException(string message) : InvalidOperationException(message);

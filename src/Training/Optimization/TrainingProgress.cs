namespace DarwinGrid.Training.Optimization;

public enum TrainingProgressKind
{
    /// <summary>After an optimizer step.</summary>
    Step,

    /// <summary>After an epoch and its validation.</summary>
    Epoch,
}

/// <summary>A progress event. Losses are mean negative log-likelihoods per answer token (nats).</summary>
public sealed record TrainingProgress(
    TrainingProgressKind Kind,
    int Epoch,
    int Step,
    int TotalSteps,
    double TrainLoss,
    float LearningRate,
    double TokensPerSecond,
    TimeSpan Elapsed,
    TimeSpan EstimatedRemaining,
    long TrainedTokens,
    double? ValidationLoss = null,
    double? ValidationAccuracy = null)
{
    /// <summary>Step events: the mean answer loss of this optimizer step's micro-batches alone (<see cref="TrainLoss"/> is the epoch's running mean).</summary>
    public double? StepLoss { get; init; }

    /// <summary>The training stage (qa, multitask) when the event comes from a staged run.</summary>
    public string? Stage { get; init; }
}

/// <summary>Loss and answer-token accuracy (argmax equals the target) over a set of records.</summary>
public sealed record EvaluationResult(double Loss, double Accuracy, int AnswerTokens);

public sealed record EpochSummary(int Epoch, double TrainLoss, double TrainAccuracy, EvaluationResult? Validation);

public sealed record TrainingResult(
    IReadOnlyList<EpochSummary> Epochs,
    int Steps,
    bool StoppedEarly,
    int BestEpoch,
    double TokensPerSecond,
    long TrainedTokens,
    TimeSpan Elapsed)
{
    /// <summary>True when <see cref="TrainerOptions.MaxDuration"/> ended the run before its planned steps.</summary>
    public bool StoppedByTimeLimit { get; init; }

    /// <summary>The optimizer steps the schedule was planned for (epochs x steps per epoch, capped by MaxSteps).</summary>
    public int PlannedSteps { get; init; }

    /// <summary>The CPU threads the run ended with (chosen by the probe when <see cref="TrainerOptions.ProbeThreads"/> is on).</summary>
    public int Threads { get; init; }

    /// <summary>The probe's measurements (training tokens/s on all cores and on one), when it ran.</summary>
    public double? AllCoresTokensPerSecond { get; init; }

    public double? OneCoreTokensPerSecond { get; init; }
}

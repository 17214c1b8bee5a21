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
    double? ValidationAccuracy = null);

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
    TimeSpan Elapsed);

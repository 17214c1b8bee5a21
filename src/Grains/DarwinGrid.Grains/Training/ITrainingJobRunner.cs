namespace DarwinGrid.Grains.Training;

/// <summary>
/// The seam between <see cref="TrainingGrain"/> and the trainer: runs one attempt of a run off the
/// grain scheduler and reports progress from its own thread. Replaceable in the silo's services.
/// </summary>
public interface ITrainingJobRunner
{
    /// <summary>Whether <see cref="RunAsync"/> can continue from the last checkpoint; when not, a lost run starts over.</summary>
    bool CanResume { get; }

    /// <summary>
    /// Trains into <paramref name="workDirectory"/> (created if missing). Fails with
    /// <see cref="TrainingCapabilityException"/> when the spec asks for something this trainer cannot do,
    /// and with <see cref="OperationCanceledException"/> when cancelled (checked between optimizer steps).
    /// </summary>
    Task<TrainingJobResult> RunAsync(TrainingJobSpec spec, string workDirectory, bool resume,
        IProgress<TrainingJobProgress> progress, CancellationToken cancellationToken);
}

/// <summary>One progress event of a running job, reported on the training thread.</summary>
/// <param name="Loss">The step's loss (step events) or the epoch's mean training loss (epoch events).</param>
/// <param name="Checkpoint">Set when a resumable checkpoint was written at this step.</param>
public sealed record TrainingJobProgress(
    string Stage,
    int Epoch,
    int Step,
    int TotalSteps,
    double? Loss,
    double? ValidationLoss,
    double TokensPerSecond,
    TimeSpan Elapsed,
    TimeSpan? Remaining,
    bool EndOfEpoch,
    string? Checkpoint = null);

/// <summary>What a finished job wrote: full paths inside its work directory.</summary>
/// <param name="ModelFile">The GGUF to serve: the trained model, or for LoRA the base the adapter applies to.</param>
/// <param name="AdapterFile">The LoRA adapter GGUF (LoRA mode), else null.</param>
/// <param name="Tasks">The catalog tasks the model was trained on.</param>
/// <param name="OtherFiles">Further files to keep with the version (loss curve...).</param>
public sealed record TrainingJobResult(
    string ModelFile,
    string? AdapterFile,
    string PromptFormat,
    IReadOnlyList<string> Tasks,
    string ManifestFile,
    IReadOnlyList<string> OtherFiles);

/// <summary>The spec asks for something the trainer in this build cannot do yet; the message names it.</summary>
public sealed class TrainingCapabilityException(string message) : NotSupportedException(message);

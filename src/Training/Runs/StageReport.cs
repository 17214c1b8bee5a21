using DarwinGrid.Training.Data;
using DarwinGrid.Training.Optimization;
using DarwinGrid.Domain.Training;

namespace DarwinGrid.Training.Runs;

/// <summary>
/// One finished stage in the manifest: its output (model or adapter, by SHA-256), settings, data,
/// per-epoch losses, outcome, and the steps at which it was resumed from a checkpoint.
/// </summary>
public sealed record StageReport
{
    public required string Stage { get; init; }

    public required TrainingMode Mode { get; init; }

    /// <summary>"model" (full fine-tuning) or "adapter" (LoRA).</summary>
    public required string OutputKind { get; init; }

    public required string OutputFile { get; init; }

    public required string OutputSha256 { get; init; }

    public required long OutputBytes { get; init; }

    public required TrainerOptions Trainer { get; init; }

    public required DatasetManifest Data { get; init; }

    public required int ValidationRecords { get; init; }

    public required IReadOnlyList<ManifestEpoch> Epochs { get; init; }

    public required ManifestOutcome Outcome { get; init; }

    /// <summary>Steps this stage was resumed at (empty for an uninterrupted stage).</summary>
    public IReadOnlyList<int> ResumedAtSteps { get; init; } = [];
}

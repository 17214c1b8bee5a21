namespace DarwinGrid.Grains.Training;

/// <summary>Stored state of <see cref="TrainingGrain"/> (never renamed: the stored JSON names it).</summary>
public sealed class TrainingGrainState
{
    public TrainingJobSpec? Spec { get; set; }
    public TrainingRunState State { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>Starts of the training phase; above 1 after a lost silo.</summary>
    public int Attempt { get; set; }
    public string? Silo { get; set; }
    public bool CancelRequested { get; set; }

    public string? Stage { get; set; }
    public int Epoch { get; set; }
    public int Step { get; set; }
    public int TotalSteps { get; set; }
    public double? Loss { get; set; }
    public double? ValidationLoss { get; set; }
    public double TokensPerSecond { get; set; }
    public double ElapsedSeconds { get; set; }
    public double? RemainingSeconds { get; set; }
    public string? LastCheckpoint { get; set; }

    public List<LossPoint> LossCurve { get; set; } = [];
    public int LossStride { get; set; } = 1;

    /// <summary>Published files, relative to the model store (set when training finished).</summary>
    public string? ModelFile { get; set; }
    public string? AdapterFile { get; set; }
    public string? ManifestFile { get; set; }
    public string? PromptFormat { get; set; }
    public List<string> TrainedTasks { get; set; } = [];

    public string? VersionId { get; set; }
    public string? Error { get; set; }
    public string? Note { get; set; }
}

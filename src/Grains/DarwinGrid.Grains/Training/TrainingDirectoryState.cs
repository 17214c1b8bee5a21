namespace DarwinGrid.Grains.Training;

/// <summary>Stored state of <see cref="TrainingDirectoryGrain"/> (never renamed: the stored JSON names it).</summary>
public sealed class TrainingDirectoryState
{
    public List<TrainingRunSummary> Runs { get; set; } = [];
    public List<string> Unfinished { get; set; } = [];
}

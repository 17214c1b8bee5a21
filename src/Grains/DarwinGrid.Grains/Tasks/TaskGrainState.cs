using DarwinGrid.Grains.Tasks;

namespace DarwinGrid.Grains.Tasks;

public enum TaskRunState
{
    Idle = 0,
    Running = 1,
    Paused = 2,
    Cancelled = 3,
    Completed = 4,
    /// <summary>Stopped for good: the model cannot be loaded (<see cref="TaskGrainState.Error"/> says why).</summary>
    Failed = 5,
}

/// <summary>
/// Stored state of <see cref="TaskGrain"/> (never renamed). The durable cursor is the set of
/// recorded batches: all below <see cref="Watermark"/>, plus <see cref="DoneAbove"/>. Counts are not
/// stored: they are rebuilt from the results table, which cannot hold a result twice.
/// </summary>
public sealed class TaskGrainState
{
    public TaskAssignment? Assignment { get; set; }

    public TaskRunState Run { get; set; }

    public int BatchSize { get; set; }

    public long Watermark { get; set; }

    public List<long> DoneAbove { get; set; } = [];

    /// <summary>Why the task failed (<see cref="TaskRunState.Failed"/>).</summary>
    public string? Error { get; set; }
}

namespace DarwinGrid.Grains.Training;

/// <summary>Collects a job's progress events on the training thread until the grain drains them on its own.</summary>
internal sealed class TrainingProgressBuffer : IProgress<TrainingJobProgress>
{
    private readonly Lock _gate = new();
    private List<TrainingJobProgress> _pending = [];

    public void Report(TrainingJobProgress value)
    {
        lock (_gate)
            _pending.Add(value);
    }

    public IReadOnlyList<TrainingJobProgress> Drain()
    {
        lock (_gate)
        {
            var drained = _pending;
            _pending = [];
            return drained;
        }
    }
}

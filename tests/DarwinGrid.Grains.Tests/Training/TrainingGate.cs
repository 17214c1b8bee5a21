using DarwinGrid.Grains.Training;

namespace DarwinGrid.Grains.Tests.Training;

/// <summary>
/// Holds the first job that reaches <see cref="Arm"/>'s step on its training thread until
/// <see cref="Release"/>, so a test can look at (or kill) a run that is surely mid-way. One-shot:
/// later jobs (the next attempt after a kill) run straight through. Shared by all silos of a cluster.
/// </summary>
public sealed class TrainingGate
{
    private readonly ManualResetEventSlim _released = new(true);
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _step = int.MaxValue;
    private int _armed;

    public Task Reached => _reached.Task;

    public void Arm(int step)
    {
        _step = step;
        _released.Reset();
        Interlocked.Exchange(ref _armed, 1);
    }

    public void Release() => _released.Set();

    internal void OnProgress(TrainingJobProgress progress)
    {
        if (progress.EndOfEpoch || progress.Step < _step || Interlocked.Exchange(ref _armed, 0) == 0)
            return;
        _reached.TrySetResult();
        // Bounded, so a test that fails before releasing never leaves a thread behind for good.
        _released.Wait(TimeSpan.FromSeconds(60));
    }
}

/// <summary>The real runner, with its progress passed through a <see cref="TrainingGate"/>.</summary>
public sealed class GatedTrainingRunner(TrainerJobRunner inner, TrainingGate gate) : ITrainingJobRunner, IDisposable
{
    public bool CanResume => inner.CanResume;

    public Task<TrainingJobResult> RunAsync(TrainingJobSpec spec, string workDirectory, bool resume,
        IProgress<TrainingJobProgress> progress, CancellationToken cancellationToken) =>
        inner.RunAsync(spec, workDirectory, resume, new Gated(progress, gate), cancellationToken);

    public void Dispose() => inner.Dispose();

    private sealed class Gated(IProgress<TrainingJobProgress> next, TrainingGate gate) : IProgress<TrainingJobProgress>
    {
        public void Report(TrainingJobProgress value)
        {
            next.Report(value);
            gate.OnProgress(value);
        }
    }
}

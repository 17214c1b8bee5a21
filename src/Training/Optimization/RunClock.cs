using System.Diagnostics;

namespace DarwinGrid.Training.Optimization;

/// <summary>The run's wall time, including what a resumed run had spent before.</summary>
internal sealed class RunClock(TimeSpan before)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public TimeSpan Elapsed => before + _clock.Elapsed;
}

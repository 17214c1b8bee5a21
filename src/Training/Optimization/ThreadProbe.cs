namespace DarwinGrid.Training.Optimization;

/// <summary>
/// Picks between all cores and one core by timing real training steps: step 1 warms up, the next
/// <paramref name="stepsPerPhase"/> steps run on all cores, the next as many on one core, and the
/// faster setting stays. On a machine shared with other busy processes ggml's worker threads wait
/// for each other at every op (measured here: 2 threads 4x slower than 1 under load, 1.8x faster when quiet).
/// </summary>
public sealed class ThreadProbe(int cores, int stepsPerPhase = 4)
{
    private long _tokens;
    private TimeSpan _time;

    public int Cores { get; } = cores > 1 ? cores : throw new ArgumentOutOfRangeException(nameof(cores), cores, "Probing needs at least two cores.");

    /// <summary>Training tokens/s measured on all cores, then on one core (null until measured).</summary>
    public double? AllCoresRate { get; private set; }

    public double? OneCoreRate { get; private set; }

    public bool Done { get; private set; }

    /// <summary>The thread count chosen (all cores until the probe ends).</summary>
    public int Threads { get; private set; } = cores;

    /// <summary>After optimizer step <paramref name="step"/> (1-based) that trained <paramref name="tokens"/> in <paramref name="duration"/>: the thread count to switch to, or null to keep the current one.</summary>
    public int? AfterStep(int step, long tokens, TimeSpan duration)
    {
        if (Done || step < 2) return null;
        _tokens += tokens;
        _time += duration;
        if (step == 1 + stepsPerPhase)
        {
            AllCoresRate = Rate();
            Threads = 1;
            return 1;
        }
        if (step == 1 + 2 * stepsPerPhase)
        {
            OneCoreRate = Rate();
            Done = true;
            Threads = OneCoreRate > AllCoresRate ? 1 : Cores;
            return Threads == 1 ? null : Threads;
        }
        return null;
    }

    private double Rate()
    {
        var rate = _time > TimeSpan.Zero ? _tokens / _time.TotalSeconds : 0;
        _tokens = 0;
        _time = TimeSpan.Zero;
        return rate;
    }
}

using System.Diagnostics;

namespace DarwinGrid.Grains.Models;

/// <summary>Events per second over a sliding window of recent samples (not thread-safe; one owner).</summary>
public sealed class RateMeter(TimeSpan window)
{
    private readonly Queue<(long Ticks, long Total)> _samples = new();
    private long _total;

    public long Total => _total;

    public void Add(long count, long? timestamp = null)
    {
        _total += count;
        var now = timestamp ?? Stopwatch.GetTimestamp();
        _samples.Enqueue((now, _total));
        Trim(now);
    }

    /// <summary>The rate over the window; 0 with fewer than two samples.</summary>
    public double PerSecond(long? timestamp = null)
    {
        var now = timestamp ?? Stopwatch.GetTimestamp();
        Trim(now);
        if (_samples.Count < 2)
            return 0;
        var (firstTicks, firstTotal) = _samples.Peek();
        var seconds = (double)(now - firstTicks) / Stopwatch.Frequency;
        return seconds <= 0 ? 0 : (_total - firstTotal) / seconds;
    }

    private void Trim(long now)
    {
        var oldest = now - (long)(window.TotalSeconds * Stopwatch.Frequency);
        // Keep one sample older than the window as the baseline.
        while (_samples.Count > 2 && _samples.ElementAt(1).Ticks < oldest)
            _samples.Dequeue();
    }
}

using System.Diagnostics;

namespace DarwinGrid.Silo.Cli;

/// <summary>
/// A one-line progress display on standard error (redrawn at most a few times a second); writes
/// plain lines instead when the error stream is redirected, so logs stay readable.
/// </summary>
public sealed class ConsoleProgress(TextWriter error, string label, long? total = null)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly bool _interactive = ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected;
    private TimeSpan? _lastDraw;

    public TimeSpan Elapsed => _clock.Elapsed;

    public void Report(long done, string? detail = null, bool force = false)
    {
        var now = _clock.Elapsed;
        var interval = _interactive ? TimeSpan.FromMilliseconds(250) : TimeSpan.FromSeconds(10);
        if (!force && _lastDraw is { } last && now - last < interval) return;
        _lastDraw = now;
        var rate = done / Math.Max(now.TotalSeconds, 1e-3);
        var line = total is > 0
            ? $"{label} {Bar(done, total.Value)} {done:N0}/{total:N0} {rate:N1}/s ETA {Eta(done, total.Value, rate)}"
            : $"{label} {done:N0} {rate:N1}/s {now:hh\\:mm\\:ss}";
        if (detail is not null) line += $" {detail}";
        if (_interactive) error.Write($"\r{line,-100}");
        else error.WriteLine(line);
    }

    public void Finish(long done, string? detail = null)
    {
        Report(done, detail, force: true);
        if (_interactive) error.WriteLine();
    }

    private static string Bar(long done, long total)
    {
        const int width = 24;
        var filled = (int)Math.Clamp(done * width / Math.Max(total, 1), 0, width);
        return "[" + new string('#', filled) + new string('.', width - filled) + "]";
    }

    private static string Eta(long done, long total, double rate) =>
        rate <= 0 || done >= total ? "0s" : TimeSpan.FromSeconds(Math.Ceiling((total - done) / rate)).ToString(@"hh\:mm\:ss");
}

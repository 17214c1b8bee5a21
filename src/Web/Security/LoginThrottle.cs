using DarwinGrid.Web.Hosting;
using Microsoft.Extensions.Options;

namespace DarwinGrid.Web.Security;

/// <summary>
/// Counts failed sign-ins per user name and per client address; after <see cref="DarwinGridWebOptions.LoginFailureLimit"/>
/// failures within the window, further attempts on that name or from that address are refused
/// until the oldest failure leaves the window (password guessing gets a few tries per window).
/// </summary>
public sealed class LoginThrottle(IOptions<DarwinGridWebOptions> options, TimeProvider time)
{
    private const int MaxTrackedKeys = 100_000;
    private readonly Dictionary<string, Queue<DateTimeOffset>> _failures = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _lock = new();

    /// <summary>How long until <paramref name="keys"/> may try again; zero when they may now.</summary>
    public TimeSpan RetryAfter(params string[] keys)
    {
        var now = time.GetUtcNow();
        var window = options.Value.LoginFailureWindow;
        var wait = TimeSpan.Zero;
        lock (_lock)
        {
            foreach (var key in keys)
            {
                if (!_failures.TryGetValue(key, out var failures))
                    continue;
                Expire(failures, now - window);
                if (failures.Count >= options.Value.LoginFailureLimit)
                    wait = Max(wait, failures.Peek() + window - now);
            }
        }
        return wait;
    }

    public void Failed(params string[] keys)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (_failures.Count > MaxTrackedKeys)
                Prune(now - options.Value.LoginFailureWindow);
            foreach (var key in keys)
            {
                if (!_failures.TryGetValue(key, out var failures))
                    _failures[key] = failures = new Queue<DateTimeOffset>();
                failures.Enqueue(now);
            }
        }
    }

    public void Succeeded(string key)
    {
        lock (_lock)
            _failures.Remove(key);
    }

    private void Prune(DateTimeOffset since)
    {
        foreach (var (key, failures) in _failures.ToList())
        {
            Expire(failures, since);
            if (failures.Count == 0)
                _failures.Remove(key);
        }
    }

    private static void Expire(Queue<DateTimeOffset> failures, DateTimeOffset since)
    {
        while (failures.Count > 0 && failures.Peek() < since)
            failures.Dequeue();
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}

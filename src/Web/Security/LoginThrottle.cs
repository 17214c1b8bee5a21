using System.Net;
using DarwinGrid.Web.Hosting;
using Microsoft.Extensions.Options;

namespace DarwinGrid.Web.Security;

/// <summary>
/// Slows password guessing without letting anyone lock a user out. Every attempt is counted, before
/// the password is checked, under three keys:
/// <list type="bullet">
/// <item>(name, address): after <see cref="DarwinGridWebOptions.LoginFailureLimit"/> failures in the window
///   that address may not try that name again until the oldest failure leaves the window;</item>
/// <item>address: after <see cref="DarwinGridWebOptions.LoginAddressFailureLimit"/> failures (any names) the address is refused;</item>
/// <item>name: never refused, but once it has the limit of failures (from anywhere) each attempt waits a
///   delay that doubles per failure up to <see cref="DarwinGridWebOptions.LoginDelayMax"/>.</item>
/// </list>
/// <see cref="Begin"/> checks and reserves in one step under a lock, so parallel guesses cannot slip
/// past the limit; a successful sign-in takes its reservation back.
/// </summary>
public sealed class LoginThrottle(IOptions<DarwinGridWebOptions> options, TimeProvider time)
{
    private const int MaxTrackedKeys = 100_000;
    private const int MaxNameLength = 256;
    private readonly Dictionary<string, List<DateTimeOffset>> _attempts = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _lock = new();

    /// <summary>Counts an attempt for <paramref name="name"/> from <paramref name="address"/> unless it is refused.</summary>
    public LoginAttempt Begin(string name, IPAddress? address)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        var since = now - settings.LoginFailureWindow;
        var keys = Keys(name, address);
        lock (_lock)
        {
            if (_attempts.Count > MaxTrackedKeys)
                Prune(since);
            var pair = Recent(keys.Pair, since);
            var fromAddress = Recent(keys.Address, since);
            var wait = TimeSpan.Zero;
            if (pair.Count >= settings.LoginFailureLimit)
                wait = pair[^settings.LoginFailureLimit] + settings.LoginFailureWindow - now;
            if (fromAddress.Count >= settings.LoginAddressFailureLimit)
                wait = Max(wait, fromAddress[^settings.LoginAddressFailureLimit] + settings.LoginFailureWindow - now);
            if (wait > TimeSpan.Zero)
                return new LoginAttempt(this, keys, now, wait, TimeSpan.Zero);

            var forName = Recent(keys.Name, since);
            var delay = DelayAfter(forName.Count, settings);
            pair.Add(now);
            fromAddress.Add(now);
            forName.Add(now);
            return new LoginAttempt(this, keys, now, TimeSpan.Zero, delay);
        }
    }

    /// <summary>The delay before checking a password for a name with <paramref name="failures"/> recent failures.</summary>
    public static TimeSpan DelayAfter(int failures, DarwinGridWebOptions settings)
    {
        if (failures < settings.LoginFailureLimit)
            return TimeSpan.Zero;
        var doublings = Math.Min(failures - settings.LoginFailureLimit, 30);
        var delay = settings.LoginDelayStep * Math.Pow(2, doublings);
        return delay > settings.LoginDelayMax ? settings.LoginDelayMax : delay;
    }

    /// <summary>The right password: the attempt is taken back, and the (name, address) pair starts afresh.</summary>
    internal void Succeeded(AttemptKeys keys, DateTimeOffset at)
    {
        lock (_lock)
        {
            _attempts.Remove(keys.Pair);
            Forget(keys.Address, at);
            Forget(keys.Name, at);
        }
    }

    internal readonly record struct AttemptKeys(string Pair, string Address, string Name);

    private static AttemptKeys Keys(string name, IPAddress? address)
    {
        var user = name.Length > MaxNameLength ? name[..MaxNameLength] : name;
        // An IPv4 client of a dual-stack socket arrives as ::ffff:a.b.c.d; one address, one key.
        var client = address is null ? "unknown" : (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
        return new AttemptKeys($"pair:{user}\n{client}", $"ip:{client}", $"user:{user}");
    }

    private List<DateTimeOffset> Recent(string key, DateTimeOffset since)
    {
        if (!_attempts.TryGetValue(key, out var attempts))
            _attempts[key] = attempts = [];
        attempts.RemoveAll(t => t < since);
        return attempts;
    }

    private void Forget(string key, DateTimeOffset at)
    {
        if (_attempts.TryGetValue(key, out var attempts))
            attempts.Remove(at);
    }

    private void Prune(DateTimeOffset since)
    {
        foreach (var (key, attempts) in _attempts.ToList())
        {
            attempts.RemoveAll(t => t < since);
            if (attempts.Count == 0)
                _attempts.Remove(key);
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}

/// <summary>
/// One counted sign-in attempt: refused (<see cref="RetryAfter"/> &gt; 0), or allowed after <see cref="Delay"/>.
/// Call <see cref="Succeeded"/> when the password was right; a wrong one needs nothing (it stays counted).
/// </summary>
public readonly record struct LoginAttempt
{
    private readonly LoginThrottle _throttle;
    private readonly LoginThrottle.AttemptKeys _keys;
    private readonly DateTimeOffset _at;

    internal LoginAttempt(LoginThrottle throttle, LoginThrottle.AttemptKeys keys, DateTimeOffset at, TimeSpan retryAfter, TimeSpan delay)
    {
        _throttle = throttle;
        _keys = keys;
        _at = at;
        RetryAfter = retryAfter;
        Delay = delay;
    }

    public TimeSpan RetryAfter { get; }

    public TimeSpan Delay { get; }

    public bool Refused => RetryAfter > TimeSpan.Zero;

    public void Succeeded() => _throttle.Succeeded(_keys, _at);
}

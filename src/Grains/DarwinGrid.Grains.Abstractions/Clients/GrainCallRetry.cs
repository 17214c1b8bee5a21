using System.Diagnostics;

namespace DarwinGrid.Grains.Clients;

/// <summary>
/// How a client rides out a silo failure: while the cluster notices a dead silo (about a second
/// with the tuned membership) calls to grains that lived there are rejected, and a call in flight
/// at the crash never answers. <see cref="RunAsync{T}"/> gives every attempt a timeout and retries,
/// backing off, for up to <see cref="Window"/>:
/// <list type="bullet">
/// <item>idempotent calls (reads, Start/Pause/Resume/Cancel, queries) after a rejection or a timeout;</item>
/// <item>other calls (Create, AppendCandidates) only after a rejection, which means the call never ran;
/// a timeout there is reported, since the call may have taken effect.</item>
/// </list>
/// </summary>
public sealed record GrainCallRetry(TimeSpan Window, TimeSpan AttemptTimeout)
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(2);

    /// <summary>Retry for a minute, 30 s per attempt (Orleans' own response timeout).</summary>
    public static GrainCallRetry Default { get; } = new(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(30));

    /// <summary>No retries: one attempt, with the attempt timeout.</summary>
    public static GrainCallRetry None { get; } = new(TimeSpan.Zero, TimeSpan.FromSeconds(30));

    /// <summary>The call never reached a grain (silo dead, activation moving, gateway gone): running it again is always safe.</summary>
    public static bool IsRejection(Exception e) =>
        e is OrleansMessageRejectionException or SiloUnavailableException or Orleans.Runtime.Messaging.ConnectionFailedException or GatewayTooBusyException;

    /// <summary>The call may or may not have run.</summary>
    public static bool IsTimeout(Exception e) => e is TimeoutException;

    public async Task<T> RunAsync<T>(Func<Task<T>> call, bool idempotent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        var started = Stopwatch.GetTimestamp();
        var delay = FirstDelay;
        while (true)
        {
            try
            {
                return await call().WaitAsync(AttemptTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when ((IsRejection(e) || idempotent && IsTimeout(e))
                                      && !cancellationToken.IsCancellationRequested
                                      && Stopwatch.GetElapsedTime(started) + delay < Window)
            {
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(MaxDelay.Ticks, delay.Ticks * 2));
            }
        }
    }

    public Task RunAsync(Func<Task> call, bool idempotent, CancellationToken cancellationToken = default) =>
        RunAsync(async () =>
        {
            await call().ConfigureAwait(false);
            return true;
        }, idempotent, cancellationToken);
}

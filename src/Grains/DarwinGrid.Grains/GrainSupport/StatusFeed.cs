using System.Runtime.CompilerServices;

namespace DarwinGrid.Grains.GrainSupport;

/// <summary>
/// The watch stream of a grain's status: the grain signals each change, a watcher gets the status
/// when it differs from the one it last got (or at least once a poll interval reads it again), and
/// the stream ends with the last status.
/// </summary>
public sealed class StatusFeed
{
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Wakes every watcher to read the status again.</summary>
    public void Signal()
    {
        var changed = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
    }

    /// <param name="read">The status now.</param>
    /// <param name="differs">Whether a status is worth sending after the last one sent.</param>
    /// <param name="isLast">Whether the stream ends with this status.</param>
    /// <param name="poll">How long a watcher waits for a signal before it reads the status anyway.</param>
    public async IAsyncEnumerable<T> WatchAsync<T>(Func<T> read, Func<T, T, bool> differs, Func<T, bool> isLast, TimeSpan poll,
        [EnumeratorCancellation] CancellationToken cancellationToken = default) where T : class
    {
        T? last = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            // Taken before the status is read: a change signalled after the read wakes this watcher, none is lost.
            var changed = _changed.Task;
            var status = read();
            if (last is null || differs(last, status))
            {
                last = status;
                yield return status;
            }
            if (isLast(status))
                yield break;
            await Task.WhenAny(changed, Task.Delay(poll, cancellationToken));
        }
    }
}

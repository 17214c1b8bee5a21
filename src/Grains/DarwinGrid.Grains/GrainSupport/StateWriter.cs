namespace DarwinGrid.Grains.GrainSupport;

/// <summary>
/// Writes a reentrant grain's state one write at a time and coalesces the writes asked for meanwhile
/// (as the Orleans Chirper sample does): calls, an interleaving timer and background work may all ask
/// for a write, but two never overlap, since each needs the ETag the one before it got.
/// </summary>
/// <remarks>
/// A caller's write always starts after the caller asked, so it stores the caller's change. While a
/// write is in flight, every caller shares the one write queued behind it. A write that fails fails
/// every caller that shared it; the next call writes again. Continuations stay on the caller's
/// scheduler (the grain's), where the state may be read.
/// </remarks>
public sealed class StateWriter(Func<Task> write)
{
    private readonly Lock _gate = new();
    private Task _last = Task.CompletedTask; // the write in flight or queued last
    private Task? _queued;                   // the write waiting for the one in flight; callers join it

    /// <summary>Completes when a write that started after this call has stored the state.</summary>
    public Task WriteAsync()
    {
        lock (_gate)
        {
            if (_queued is { } queued)
                return queued;
            if (_last.IsCompleted)
                return _last = WriteNowAsync();
            return _queued = _last = WriteAfterAsync(_last);
        }
    }

    private async Task WriteAfterAsync(Task previous)
    {
        await Task.Yield(); // back to the caller, which stores this write as the queued one, before anything else
        try
        {
            await previous;
        }
        catch (Exception)
        {
            // Its own callers have it; this write tries again.
        }
        lock (_gate)
            _queued = null; // from here on the state may change after this write read it: new callers queue behind it
        await write();
    }

    private async Task WriteNowAsync() => await write();
}

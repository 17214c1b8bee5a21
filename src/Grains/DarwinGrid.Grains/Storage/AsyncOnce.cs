namespace DarwinGrid.Grains.Storage;

/// <summary>
/// Runs an initialisation once; a failed attempt is not remembered, so the next caller retries
/// (a database that was locked or missing at silo start may be fine a moment later).
/// </summary>
internal sealed class AsyncOnce(Func<CancellationToken, Task> initialise)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _done;

    public bool IsDone => _done;

    public async Task EnsureAsync(CancellationToken cancellationToken = default)
    {
        if (_done)
            return;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_done)
                return;
            await initialise(cancellationToken).ConfigureAwait(false);
            _done = true;
        }
        finally
        {
            _gate.Release();
        }
    }
}

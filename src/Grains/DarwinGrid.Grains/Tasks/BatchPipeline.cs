using Microsoft.Extensions.Logging;

namespace DarwinGrid.Grains.Tasks;

/// <summary>What one recorded batch added: predictions stored, how many of them failed, how many came from the cache.</summary>
public sealed record BatchOutcome(long Done, long Failed, long Cached);

/// <summary>How a run of the pipeline ended.</summary>
public enum PipelineEnd
{
    /// <summary>Stopped (paused, cancelled, deactivated) with nothing in flight; the cursor has the unfinished batches back.</summary>
    Stopped,

    /// <summary>Every batch is recorded: the task is complete.</summary>
    AllRecorded,

    /// <summary>The model cannot be loaded (<see cref="BatchPipeline.FailureReason"/>): no batch can ever succeed.</summary>
    ModelUnloadable,
}

/// <summary>
/// A task's batch pipeline: keeps up to <c>maxInFlight</c> batches of the cursor going, records each
/// that finishes, sends a failed one again after <c>retryDelay</c>, and says how the run ended. Plain
/// code: the task grain supplies what a batch does and when dispatching is allowed, and is called
/// back on its own scheduler with each recorded batch.
/// </summary>
/// <remarks>
/// Once the run's token is cancelled (the task was cancelled, another activation took it over, or the
/// activation is being deactivated) no batch is sent any more: a batch sent with a cancelled token
/// ends at once, and the loop would go round without ever giving the grain's scheduler back. That is
/// how a task grain deactivated after a silo loss used to hang its silo's scheduler thread for good
/// (issue #9). For the same reason a pass that saw a batch fail waits <c>retryDelay</c> before sending
/// it again, whatever made it fail. The loop reads no grain state once stopped: the activation may be gone.
/// </remarks>
public sealed class BatchPipeline(BatchCursor cursor, int maxInFlight, TimeSpan retryDelay, ILogger logger, string taskKey)
{
    private readonly Dictionary<long, Task<BatchOutcome>> _inFlight = [];

    public BatchCursor Cursor => cursor;

    /// <summary>Batches sent and not yet recorded or released.</summary>
    public int InFlight => _inFlight.Count;

    /// <summary>Why the model cannot be loaded, after a run ended with <see cref="PipelineEnd.ModelUnloadable"/>.</summary>
    public string? FailureReason { get; private set; }

    /// <param name="process">Sends one batch (its candidate range) and stores its results.</param>
    /// <param name="dispatching">Whether new batches may be sent now (the task is running).</param>
    /// <param name="recorded">Called with each batch that finished and is recorded in the cursor.</param>
    /// <param name="stop">Ends dispatching; what is in flight drains.</param>
    public async Task<PipelineEnd> RunAsync(
        Func<(long From, int Count), CancellationToken, Task<BatchOutcome>> process,
        Func<bool> dispatching,
        Action<BatchOutcome> recorded,
        CancellationToken stop)
    {
        try
        {
            while (true)
            {
                var sending = !stop.IsCancellationRequested && dispatching();
                while (sending && _inFlight.Count < maxInFlight && cursor.TakeNext() is { } batch)
                    _inFlight[batch] = process(cursor.Range(batch), stop);

                if (_inFlight.Count == 0)
                    return sending && cursor.AllRecorded ? PipelineEnd.AllRecorded : PipelineEnd.Stopped;

                await Task.WhenAny(_inFlight.Values);
                if (Unloadable() is { } unloadable)
                {
                    FailureReason = unloadable.Message;
                    return PipelineEnd.ModelUnloadable;
                }
                if (Collect(recorded, stop) && !stop.IsCancellationRequested)
                    await WaitUnlessStoppedAsync(retryDelay, stop);
            }
        }
        finally
        {
            if (stop.IsCancellationRequested || !dispatching())
                cursor.ReleaseAll();
        }
    }

    private ModelUnloadableException? Unloadable() =>
        _inFlight.Values.Select(t => t.IsFaulted ? t.Exception!.GetBaseException() : null).OfType<ModelUnloadableException>().FirstOrDefault();

    /// <summary>Records the finished batches and releases the failed ones; true when one failed.</summary>
    private bool Collect(Action<BatchOutcome> recorded, CancellationToken stop)
    {
        var failed = false;
        foreach (var (batch, task) in _inFlight.Where(p => p.Value.IsCompleted).ToList())
        {
            _inFlight.Remove(batch);
            if (task.IsCompletedSuccessfully)
            {
                cursor.Recorded(batch);
                recorded(task.Result);
                continue;
            }
            // Cancelled (pause/cancel/deactivation) or the store failed: the batch is sent again later.
            if (task.Exception is { } error && !stop.IsCancellationRequested)
                logger.LogWarning(error.GetBaseException(), "Task {Key}: batch {Batch} failed; it will be retried", taskKey, batch);
            failed = true;
            cursor.Release(batch);
        }
        return failed;
    }

    private static async Task WaitUnlessStoppedAsync(TimeSpan delay, CancellationToken stop)
    {
        try
        {
            await Task.Delay(delay, stop);
        }
        catch (OperationCanceledException)
        {
            // Stopped: the loop drains what is in flight and ends.
        }
    }
}

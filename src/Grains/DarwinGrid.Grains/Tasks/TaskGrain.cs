using Orleans.Placement;
using System.Collections.Immutable;
using DarwinGrid.Grains.Campaigns;
using DarwinGrid.Grains.Hosting;
using DarwinGrid.Grains.Models;
using DarwinGrid.Grains.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Storage;

namespace DarwinGrid.Grains.Tasks;

/// <summary>
/// One property across one campaign. A loop on the grain's scheduler keeps up to
/// <see cref="ScreeningOptions.MaxBatchesInFlight"/> batches going: each reads its candidates from
/// the results store, skips the ones already recorded, takes what it can from the prediction cache,
/// sends the rest to the least-loaded model grain (retrying elsewhere on failure) and upserts the
/// results. Grain calls only change the run state; a keep-alive timer writes the cursor and reports
/// progress. Nothing is counted twice: results are upserted by key, and counts come from the table.
/// </summary>
// Spread over every silo of a cluster (the default, resource-optimised placement bunches them up).
[RandomPlacement]
public sealed class TaskGrain(
    [PersistentState("task")] IPersistentState<TaskGrainState> state,
    IResultStore store,
    IOptions<DarwinGridGrainOptions> options,
    ILogger<TaskGrain> logger) : Grain, ITaskGrain
{
    private readonly ScreeningOptions _options = options.Value.Screening;
    private readonly Dictionary<long, Task<BatchOutcome>> _inFlight = [];
    private CancellationTokenSource _stop = new();
    private BatchCursor? _cursor;
    private ModelEndpointPicker? _picker;
    private TaskCounts _counts = new(0, 0, 0);
    private TaskProgress? _lastReported;
    private Task? _loop;
    private Task _writes = Task.CompletedTask;
    private IGrainTimer? _heartbeat;
    private bool _dirty;
    private bool _superseded;

    private TaskGrainState S => state.State;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (S.Assignment is not { } assignment)
            return;
        _counts = await store.GetTaskCountsAsync(assignment.CampaignId, assignment.Task, assignment.ModelVersion, cancellationToken);
        // Activations and deactivations are rare (start, silo loss, idle), and they are what a failover is made of.
        logger.LogInformation("Task {Key} activated on {Silo}: {Run}, {Done}/{Total} done, batch watermark {Watermark}",
            this.GetPrimaryKeyString(), GrainContext.Address.SiloAddress, S.Run, _counts.Done, assignment.CandidateCount, S.Watermark);
        if (S.Run == TaskRunState.Running)
            EnsureRunning();
    }

    public async Task StartAsync(TaskAssignment assignment)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        if (S.Assignment is { } finished && IsRescreen(finished, assignment))
        {
            // The campaign switched to another model version: the finished task screens every candidate again with it.
            _cursor = null;
            _picker = null;
        }
        else if (S.Assignment is { } existing)
        {
            if (existing != assignment)
                throw new InvalidOperationException($"Task grain {this.GetPrimaryKeyString()} already runs {existing}; it cannot take {assignment}.");
            if (S.Run is TaskRunState.Idle)
            {
                S.Run = TaskRunState.Running;
                await PersistAsync();
            }
            if (S.Run == TaskRunState.Running)
                EnsureRunning();
            return;
        }
        if (assignment.CandidateCount < 0 || string.IsNullOrWhiteSpace(assignment.ModelVersion))
            throw new ArgumentException($"Task assignment {assignment} needs a model version and a candidate count.");
        S.Assignment = assignment;
        S.BatchSize = _options.BatchSize;
        S.Run = TaskRunState.Running;
        S.Watermark = 0;
        S.DoneAbove = [];
        _counts = await store.GetTaskCountsAsync(assignment.CampaignId, assignment.Task, assignment.ModelVersion);
        await PersistAsync();
        EnsureRunning();
    }

    /// <summary>A completed task given the same assignment with another model version (a campaign's rescreen).</summary>
    private bool IsRescreen(TaskAssignment existing, TaskAssignment next) =>
        S.Run == TaskRunState.Completed && existing.ModelVersion != next.ModelVersion && existing with { ModelVersion = next.ModelVersion } == next;

    public async Task PauseAsync()
    {
        if (S.Run != TaskRunState.Running)
            return;
        S.Run = TaskRunState.Paused;
        await PersistAsync();
    }

    public async Task ResumeAsync()
    {
        if (S.Run != TaskRunState.Paused)
            return;
        S.Run = TaskRunState.Running;
        await PersistAsync();
        EnsureRunning();
    }

    public async Task CancelAsync()
    {
        if (S.Run is TaskRunState.Completed or TaskRunState.Cancelled or TaskRunState.Failed)
            return;
        S.Run = TaskRunState.Cancelled;
        await _stop.CancelAsync();
        await PersistAsync();
    }

    public Task<TaskProgress> GetProgressAsync() => Task.FromResult(Progress());

    private TaskProgress Progress() => S.Assignment is { } a
        ? new TaskProgress(a.Task, a.CandidateCount, _counts.Done, _counts.Failed, _counts.Cached, a.ModelVersion, S.Error)
        : new TaskProgress(this.GetPrimaryKeyString(), 0, 0, 0, 0);

    private void EnsureRunning()
    {
        if (_superseded || S.Assignment is not { } assignment)
            return;
        _cursor ??= new BatchCursor(assignment.CandidateCount, S.BatchSize, S.Watermark, S.DoneAbove);
        _picker ??= new ModelEndpointPicker(GrainFactory, assignment.ModelVersion);
        if (_stop.IsCancellationRequested)
        {
            _stop.Dispose();
            _stop = new CancellationTokenSource();
        }
        _heartbeat ??= this.RegisterGrainTimer(HeartbeatAsync, new GrainTimerCreationOptions
        {
            DueTime = _options.ProgressInterval,
            Period = _options.ProgressInterval,
            Interleave = true,
            KeepAlive = true,
        });
        if (_loop is null or { IsCompleted: true })
            _loop = RunLoopAsync();
    }

    /// <summary>Dispatches batches while running, records every batch that finishes, and completes the task.</summary>
    /// <remarks>
    /// Once this run's token is cancelled (the task was cancelled, another activation took it over, or this
    /// activation is being deactivated) no batch is sent any more: a batch sent with a cancelled token ends
    /// at once, and the loop would go round without ever giving the grain's scheduler back. That is how a
    /// task grain deactivated after a silo loss used to hang its silo's scheduler thread for good (issue #9).
    /// For the same reason a pass that saw a batch fail waits <see cref="ScreeningOptions.RetryDelay"/>
    /// before sending it again, whatever made it fail. The loop reads no grain state once stopped: the
    /// activation may be gone.
    /// </remarks>
    private async Task RunLoopAsync()
    {
        var cursor = _cursor!;
        var assignment = S.Assignment!;
        var stop = _stop.Token;
        try
        {
            while (true)
            {
                var dispatching = !stop.IsCancellationRequested && S.Run == TaskRunState.Running;
                while (dispatching && _inFlight.Count < _options.MaxBatchesInFlight && cursor.TakeNext() is { } batch)
                    _inFlight[batch] = ProcessBatchAsync(assignment, cursor.Range(batch), stop);

                if (_inFlight.Count == 0)
                {
                    if (dispatching && cursor.AllRecorded)
                        await CompleteAsync(assignment);
                    break;
                }

                await Task.WhenAny(_inFlight.Values);
                if (_inFlight.Values.FirstOrDefault(t => t.IsFaulted && t.Exception!.GetBaseException() is ModelUnloadableException)?.Exception!.GetBaseException() is { } unloadable)
                {
                    await FailAsync(unloadable.Message);
                    break;
                }
                var failed = false;
                foreach (var (batch, task) in _inFlight.Where(p => p.Value.IsCompleted).ToList())
                {
                    _inFlight.Remove(batch);
                    if (task.IsCompletedSuccessfully)
                    {
                        var outcome = task.Result;
                        _counts = new TaskCounts(_counts.Done + outcome.Done, _counts.Failed + outcome.Failed, _counts.Cached + outcome.Cached);
                        cursor.Recorded(batch);
                        _dirty = true;
                    }
                    else
                    {
                        // Cancelled (pause/cancel/deactivation) or the store failed: the batch is sent again later.
                        if (task.Exception is { } error && !stop.IsCancellationRequested)
                            logger.LogWarning(error.GetBaseException(), "Task {Key}: batch {Batch} failed; it will be retried", this.GetPrimaryKeyString(), batch);
                        failed = true;
                        cursor.Release(batch);
                    }
                }
                if (failed && !stop.IsCancellationRequested)
                    await WaitUnlessStoppedAsync(_options.RetryDelay, stop);
            }
        }
        catch (InconsistentStateException)
        {
            // Completing found another activation's write: this one has retired (logged where it happened).
        }
        catch (Exception e)
        {
            logger.LogError(e, "Task {Key}: the batch loop stopped; the heartbeat restarts it", this.GetPrimaryKeyString());
        }
        finally
        {
            if (stop.IsCancellationRequested || S.Run != TaskRunState.Running)
                cursor.ReleaseAll();
        }
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

    /// <summary>The model cannot be loaded: no batch can ever succeed, so the task stops with the reason instead of retrying.</summary>
    private async Task FailAsync(string error)
    {
        S.Run = TaskRunState.Failed;
        S.Error = error;
        await PersistAsync();
        await ReportAsync(force: true);
        logger.LogError("Task {Key} failed: {Error}", this.GetPrimaryKeyString(), error);
    }

    private async Task CompleteAsync(TaskAssignment assignment)
    {
        // The authoritative counts: whatever the loop added up, the table says what is stored.
        _counts = await store.GetTaskCountsAsync(assignment.CampaignId, assignment.Task, assignment.ModelVersion);
        S.Run = TaskRunState.Completed;
        await PersistAsync();
        await ReportAsync(force: true);
        logger.LogInformation("Task {Key} completed: {Done} predictions, {Failed} failed, {Cached} from the cache",
            this.GetPrimaryKeyString(), _counts.Done, _counts.Failed, _counts.Cached);
    }

    private async Task HeartbeatAsync(CancellationToken cancellationToken)
    {
        if (_superseded)
            return;
        // Decided before the awaits below: batches may finish while they run (the timer interleaves), and the
        // last report must come after the last of them, or a paused campaign, which polls its tasks only while running, keeps stale counts.
        var idle = S.Run != TaskRunState.Running && _inFlight.Count == 0 && _loop is null or { IsCompleted: true };
        if (_dirty)
        {
            try
            {
                await PersistAsync();
            }
            catch (InconsistentStateException)
            {
                return; // retired: logged where it happened
            }
        }
        await ReportAsync(force: false);
        if (S.Run == TaskRunState.Running && _loop is { IsCompleted: true })
            _loop = RunLoopAsync();
        if (idle && S.Run != TaskRunState.Running && !_dirty && Progress() == _lastReported)
        {
            _heartbeat?.Dispose();
            _heartbeat = null;
        }
    }

    private async Task ReportAsync(bool force)
    {
        if (S.Assignment is not { } assignment)
            return;
        var progress = Progress();
        if (!force && progress == _lastReported)
            return;
        try
        {
            await GrainFactory.GetGrain<ICampaignGrain>(assignment.CampaignId).ReportTaskProgressAsync(progress).WaitAsync(TimeSpan.FromSeconds(10));
            _lastReported = progress;
        }
        catch (Exception e)
        {
            // The campaign polls its tasks too; a lost report only delays the figures.
            logger.LogDebug(e, "Task {Key}: progress report failed", this.GetPrimaryKeyString());
        }
    }

    /// <summary>
    /// Writes the state after every write already started on this activation: writes are chained, never
    /// concurrent (each needs the ETag the one before got). A write refused because another activation of
    /// this task wrote in between retires this activation and fails its caller, as does every later write:
    /// a pause or cancel this activation could not store must not look done to whoever asked for it.
    /// </summary>
    /// <remarks>
    /// Waiters used to loop on a "write in progress" field until the writer cleared it; a writer that
    /// awaited before clearing it (the conflict path) left its waiter spinning on the grain's scheduler.
    /// A chain has nothing to spin on.
    /// </remarks>
    /// <exception cref="InconsistentStateException">Another activation owns the task now.</exception>
    private Task PersistAsync()
    {
        var write = WriteAfterAsync(_writes);
        _writes = write;
        return write;
    }

    private async Task WriteAfterAsync(Task previous)
    {
        try
        {
            await previous;
        }
        catch (Exception)
        {
            // Its own caller has it.
        }
        if (_superseded)
            throw new InconsistentStateException($"Task grain {this.GetPrimaryKeyString()} was taken over by another activation; this one is retiring. Call it again.");
        if (_cursor is { } cursor)
        {
            S.Watermark = cursor.Watermark;
            S.DoneAbove = [.. cursor.DoneAbove];
        }
        _dirty = false;
        try
        {
            await state.WriteStateAsync();
        }
        catch (InconsistentStateException e)
        {
            // Another activation of this task wrote after us (a silo was declared dead while this one
            // lived on, or its directory entry was lost): it owns the task now.
            logger.LogWarning(e, "Task {Key}: superseded by another activation; stopping here", this.GetPrimaryKeyString());
            _superseded = true;
            await _stop.CancelAsync();
            DeactivateOnIdle();
            throw;
        }
        catch (Exception)
        {
            _dirty = true; // the next heartbeat tries again
            throw;
        }
    }

    private async Task<BatchOutcome> ProcessBatchAsync(TaskAssignment assignment, (long From, int Count) range, CancellationToken cancellationToken)
    {
        var taskModel = new TaskModel(assignment.Task, assignment.ModelVersion);
        var candidates = await store.ReadCandidatesAsync(assignment.CampaignId, range.From, range.Count, cancellationToken);
        if (candidates.Count != range.Count)
            throw new InvalidOperationException($"Campaign '{assignment.CampaignId}' has {candidates.Count} candidates from index {range.From}, expected {range.Count}.");
        var completed = (await store.ReadCompletedIndexesAsync(assignment.CampaignId, taskModel, range.From, range.From + range.Count, cancellationToken)).ToHashSet();
        var pending = candidates.Where(c => !completed.Contains(c.Index)).ToList();
        if (pending.Count == 0)
            return new BatchOutcome(0, 0, 0);

        var compositions = pending.Select(c => c.Composition).Distinct(StringComparer.Ordinal).ToList();
        var cached = await store.GetCachedPredictionsAsync(assignment.Task, assignment.ModelVersion, assignment.Estimate, compositions, cancellationToken);
        var misses = compositions.Where(c => !cached.ContainsKey(c)).ToList();
        var predicted = misses.Count == 0
            ? new Dictionary<string, Prediction>(StringComparer.Ordinal)
            : await PredictAsync(assignment, misses, cancellationToken);

        var rows = new List<ResultRow>(pending.Count);
        foreach (var candidate in pending)
        {
            rows.Add(cached.TryGetValue(candidate.Composition, out var hit)
                ? new ResultRow(candidate.Index, hit, Cached: true)
                : new ResultRow(candidate.Index, predicted[candidate.Composition]));
        }
        cancellationToken.ThrowIfCancellationRequested();
        await store.UpsertResultsAsync(assignment.CampaignId, rows, CancellationToken.None);
        return new BatchOutcome(rows.Count, rows.Count(r => r.Prediction.Error is not null), rows.Count(r => r.Cached));
    }

    /// <summary>
    /// The model's predictions for <paramref name="compositions"/>, retried on other model grains when a
    /// call fails; answers are cached for every campaign. After the last attempt the predictions are
    /// recorded as failed (and not cached), so the campaign still finishes.
    /// </summary>
    private async Task<Dictionary<string, Prediction>> PredictAsync(TaskAssignment assignment, List<string> compositions, CancellationToken cancellationToken)
    {
        Exception? last = null;
        var started = System.Diagnostics.Stopwatch.StartNew();
        var attempt = 0;
        while (attempt == 0 || started.Elapsed < _options.RetryWindow)
        {
            attempt++;
            cancellationToken.ThrowIfCancellationRequested();
            var key = await _picker!.PickAsync(compositions.Count);
            if (key is null)
            {
                last = new InvalidOperationException($"No live silo serves model version '{assignment.ModelVersion}'.");
                await Task.Delay(Backoff(attempt), cancellationToken);
                continue;
            }
            ImmutableArray<Prediction> predictions;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(_options.ModelCallTimeout);
                predictions = await GrainFactory.GetGrain<IModelGrain>(key)
                    .PredictAsync(new PredictionBatch(assignment.Task, [.. compositions], assignment.Estimate), timeout.Token);
                if (predictions.Length != compositions.Count)
                    throw new InvalidOperationException($"Model grain {key} returned {predictions.Length} predictions for {compositions.Count} inputs.");
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                last = e;
                if (await LoadFailureAsync(key) is { } reason)
                    throw new ModelUnloadableException($"Model version '{assignment.ModelVersion}' cannot be loaded: {reason}");
                _picker.Invalidate(key);
                logger.LogWarning("Task {Key}: model call to {Model} failed (attempt {Attempt}): {Error}",
                    this.GetPrimaryKeyString(), key, attempt, e.Message);
                await Task.Delay(Backoff(attempt), cancellationToken);
                continue;
            }
            finally
            {
                _picker.Returned(key, compositions.Count);
            }

            var byComposition = new Dictionary<string, Prediction>(StringComparer.Ordinal);
            for (var i = 0; i < compositions.Count; i++)
                byComposition[compositions[i]] = predictions[i];
            // Answers (parse failures included: greedy decoding repeats them) serve every later campaign.
            await store.UpsertPredictionsAsync([.. byComposition.Select(p => new CachedPrediction(p.Key, p.Value, assignment.Estimate))], CancellationToken.None);
            return byComposition;
        }
        var error = $"Model version '{assignment.ModelVersion}' unavailable after {attempt} attempts in {started.Elapsed.TotalSeconds:F0} s: {last?.Message}";
        return compositions.ToDictionary(c => c, _ => new Prediction(assignment.Task, assignment.ModelVersion, null, null, null, "", error), StringComparer.Ordinal);
    }

    /// <summary>Why the model grain cannot load its model, when that is why the call failed (a permanent failure); null otherwise.</summary>
    private async Task<string?> LoadFailureAsync(string key)
    {
        try
        {
            var load = await GrainFactory.GetGrain<IModelGrain>(key).GetLoadAsync().WaitAsync(TimeSpan.FromSeconds(10));
            return load.LoadFailed ? load.Error ?? "the model failed to load" : null;
        }
        catch (Exception)
        {
            return null; // The grain is unreachable: a transient failure, retried.
        }
    }

    private TimeSpan Backoff(int attempt) =>
        TimeSpan.FromTicks(Math.Min(_options.RetryDelay.Ticks * attempt, _options.MaxRetryDelay.Ticks));

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        logger.LogInformation("Task {Key} deactivating on {Silo} ({Reason}): {Run}, {InFlight} batches in flight{Superseded}",
            this.GetPrimaryKeyString(), GrainContext.Address.SiloAddress, reason, S.Run, _inFlight.Count, _superseded ? ", superseded" : "");
        _heartbeat?.Dispose();
        _heartbeat = null;
        // Stop the batch loop before anything else: it drains what is in flight and sends nothing more.
        await _stop.CancelAsync();
        if (!_superseded && _dirty)
        {
            try { await PersistAsync(); } catch (Exception e) { logger.LogWarning(e, "Task {Key}: cursor not saved on deactivation", this.GetPrimaryKeyString()); }
        }
    }

    private sealed record BatchOutcome(long Done, long Failed, long Cached);
}

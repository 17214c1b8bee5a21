using Orleans.Placement;
using DarwinGrid.Grains.Campaigns;
using DarwinGrid.Grains.GrainSupport;
using DarwinGrid.Grains.Hosting;
using DarwinGrid.Grains.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Storage;

namespace DarwinGrid.Grains.Tasks;

/// <summary>
/// One property across one campaign. The grain orchestrates: its <see cref="BatchPipeline"/> keeps up
/// to <see cref="ScreeningOptions.MaxBatchesInFlight"/> batches going on the grain's scheduler, each a
/// <see cref="BatchProcessor"/> run (store, cache, and the model through <see cref="ModelCallRetry"/>,
/// retrying elsewhere on failure). Grain calls only change the run state; a keep-alive timer writes
/// the cursor and reports progress. Nothing is counted twice: results are upserted by key, and counts
/// come from the table.
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
    private CancellationTokenSource _stop = new();
    private BatchPipeline? _pipeline;
    private BatchProcessor? _batches;
    private TaskCounts _counts = new(0, 0, 0);
    private TaskProgress? _lastReported;
    private Task? _loop;
    private StateWriter? _writer;
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
            _pipeline = null;
            _batches = null;
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
        _pipeline ??= new BatchPipeline(new BatchCursor(assignment.CandidateCount, S.BatchSize, S.Watermark, S.DoneAbove),
            _options.MaxBatchesInFlight, _options.RetryDelay, logger, this.GetPrimaryKeyString());
        // One set of endpoints per assignment: the picker's load figures outlive a pause.
        _batches ??= new BatchProcessor(store, assignment, new ModelCallRetry(new GrainModelEndpoints(GrainFactory, assignment.ModelVersion),
            new RetryPolicy(_options.RetryWindow, _options.RetryDelay, _options.MaxRetryDelay, _options.ModelCallTimeout), logger, this.GetPrimaryKeyString()));
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

    /// <summary>Runs the batch pipeline while the task runs, then completes or fails the task by how it ended.</summary>
    private async Task RunLoopAsync()
    {
        var (pipeline, batches, assignment) = (_pipeline!, _batches!, S.Assignment!);
        try
        {
            var end = await pipeline.RunAsync(batches.ProcessAsync, () => S.Run == TaskRunState.Running, Recorded, _stop.Token);
            if (end == PipelineEnd.AllRecorded)
                await CompleteAsync(assignment);
            else if (end == PipelineEnd.ModelUnloadable)
                await FailAsync(pipeline.FailureReason!);
        }
        catch (InconsistentStateException)
        {
            // Completing found another activation's write: this one has retired (logged where it happened).
        }
        catch (Exception e)
        {
            logger.LogError(e, "Task {Key}: the batch loop stopped; the heartbeat restarts it", this.GetPrimaryKeyString());
        }
    }

    private void Recorded(BatchOutcome outcome)
    {
        _counts = new TaskCounts(_counts.Done + outcome.Done, _counts.Failed + outcome.Failed, _counts.Cached + outcome.Cached);
        _dirty = true;
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
        var idle = S.Run != TaskRunState.Running && (_pipeline?.InFlight ?? 0) == 0 && _loop is null or { IsCompleted: true };
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
    /// Writes the state through the activation's <see cref="StateWriter"/>: never two writes at once
    /// (each needs the ETag the one before got), and a write asked for meanwhile shares the next one. A
    /// write refused because another activation of this task wrote in between retires this activation
    /// and fails its callers, as does every later write: a pause or cancel this activation could not
    /// store must not look done to whoever asked for it.
    /// </summary>
    /// <exception cref="InconsistentStateException">Another activation owns the task now.</exception>
    private Task PersistAsync() => (_writer ??= new StateWriter(WriteStateAsync)).WriteAsync();

    private async Task WriteStateAsync()
    {
        if (_superseded)
            throw new InconsistentStateException($"Task grain {this.GetPrimaryKeyString()} was taken over by another activation; this one is retiring. Call it again.");
        if (_pipeline?.Cursor is { } cursor)
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

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        logger.LogInformation("Task {Key} deactivating on {Silo} ({Reason}): {Run}, {InFlight} batches in flight{Superseded}",
            this.GetPrimaryKeyString(), GrainContext.Address.SiloAddress, reason, S.Run, (_pipeline?.InFlight ?? 0), _superseded ? ", superseded" : "");
        _heartbeat?.Dispose();
        _heartbeat = null;
        // Stop the batch loop before anything else: it drains what is in flight and sends nothing more.
        await _stop.CancelAsync();
        if (!_superseded && _dirty)
        {
            try { await PersistAsync(); } catch (Exception e) { logger.LogWarning(e, "Task {Key}: cursor not saved on deactivation", this.GetPrimaryKeyString()); }
        }
    }
}

using System.Collections.Immutable;
using DarwinGrid.Grains.GrainSupport;
using DarwinGrid.Grains.Hosting;
using DarwinGrid.Grains.Models;
using DarwinGrid.Grains.Placement;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using Orleans.Storage;

namespace DarwinGrid.Grains.Training;

/// <summary>
/// One training run. The trainer runs on its own thread (<see cref="ITrainingJobRunner"/>); a
/// keep-alive timer drains its progress into the stored state and wakes watchers. When training
/// ends the files move from the attempt's folder to <c>{store}/runs/{runId}/</c>, the model is
/// scored on the held-out fold (<see cref="IModelVersionEvaluator"/>) and registered as
/// <c>{name}:{runId}</c>. A run whose silo was lost is still Running (or Evaluating) in storage; the
/// next activation - the keeper's knock, on any silo that may train - starts the next attempt,
/// from the last checkpoint when the runner can resume, otherwise from scratch (and says so).
/// </summary>
[TrainingSiloPlacementFilter]
public sealed class TrainingGrain(
    [PersistentState("training")] IPersistentState<TrainingGrainState> state,
    ITrainingJobRunner runner,
    IModelVersionEvaluator evaluator,
    LabHeldOutScorer labScorer,
    ILocalSiloDetails silo,
    IOptions<DarwinGridGrainOptions> options,
    ILogger<TrainingGrain> logger) : Grain, ITrainingGrain
{
    private readonly StatusFeed _feed = new();
    private StateWriter? _writer;
    private CancellationTokenSource? _work;
    private Task? _driving;
    private TrainingProgressBuffer? _buffer;
    private IGrainTimer? _flush;

    private TrainingGrainState S => state.State;
    private string Id => this.GetPrimaryKeyString();
    private ITrainingDirectoryGrain Directory => GrainFactory.GetGrain<ITrainingDirectoryGrain>(ITrainingDirectoryGrain.Key);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        EnsureDriving();
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // The run stays unfinished in storage; the next activation continues it.
        _work?.Cancel();
        if (_driving is { IsCompleted: false } driving)
            await driving.WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Current);
    }

    public async Task<TrainingRunStatus> StartAsync(TrainingJobSpec spec)
    {
        TrainingSpecs.ValidateRunId(Id);
        var normalized = TrainingSpecs.Normalize(spec);
        if (S.Spec is not null)
        {
            if (TrainingSpecs.Equivalent(S.Spec, normalized))
                return Status();
            throw new InvalidOperationException($"Training run '{Id}' already exists ({S.State}) with a different spec; choose another run id.");
        }
        StoreDirectory(); // Refuse before anything is stored when there is nowhere to put the model.
        S.Spec = normalized;
        S.State = TrainingRunState.Running;
        S.CreatedAt = DateTimeOffset.UtcNow;
        await WriteAsync();
        await Directory.AddAsync(new TrainingRunSummary(Id, normalized.Preset, S.CreatedAt));
        logger.LogInformation("Training run {Id} accepted: preset {Preset}, stages {Stages}, mode {Mode}, tasks {Tasks}",
            Id, normalized.Preset, string.Join(",", normalized.Stages), normalized.Mode, normalized.Tasks.IsEmpty ? "(preset's)" : string.Join(",", normalized.Tasks));
        EnsureDriving();
        return Status();
    }

    public Task<TrainingRunStatus> GetStatusAsync()
    {
        EnsureDriving();
        return Task.FromResult(Status());
    }

    public Task<ImmutableArray<LossPoint>> GetLossCurveAsync() => Task.FromResult(S.LossCurve.ToImmutableArray());

    public async Task<TrainingRunStatus> CancelAsync()
    {
        if (S.Spec is null)
            throw new InvalidOperationException($"Training run '{Id}' does not exist.");
        if (IsFinished)
            return Status();
        S.CancelRequested = true;
        await WriteAsync();
        if (_driving is { IsCompleted: false })
            await _work!.CancelAsync(); // The driver sees the cancellation and finishes the run as Cancelled.
        else
            await FinishAsync(TrainingRunState.Cancelled, null);
        return Status();
    }

    public IAsyncEnumerable<TrainingRunStatus> WatchAsync(CancellationToken cancellationToken = default) => _feed.WatchAsync(Status,
        (last, now) => last.State != now.State || last.Step != now.Step || last.Epoch != now.Epoch || last.Attempt != now.Attempt || last.ValidationLoss != now.ValidationLoss,
        now => now.IsFinished || now.State == TrainingRunState.None, TimeSpan.FromSeconds(1), cancellationToken);

    private bool IsFinished => S.State is TrainingRunState.Completed or TrainingRunState.Failed or TrainingRunState.Cancelled;

    /// <summary>Starts this activation's driver when the stored run is unfinished and nothing drives it.</summary>
    private void EnsureDriving()
    {
        if (S.Spec is null || IsFinished || _driving is { IsCompleted: false })
            return;
        _work = new CancellationTokenSource();
        _flush ??= this.RegisterGrainTimer(FlushAsync, new GrainTimerCreationOptions
        {
            DueTime = options.Value.Training.ProgressInterval,
            Period = options.Value.Training.ProgressInterval,
            KeepAlive = true,
        });
        _driving = DriveAsync(_work.Token);
    }

    private async Task DriveAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (S.CancelRequested)
                throw new OperationCanceledException();
            if (S.State == TrainingRunState.Running)
                await TrainAsync(cancellationToken);
            if (S.State == TrainingRunState.Evaluating)
                await EvaluateAndRegisterAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (S.CancelRequested)
        {
            logger.LogInformation("Training run {Id} cancelled", Id);
            await FinishAsync(TrainingRunState.Cancelled, null);
        }
        catch (OperationCanceledException)
        {
            // Not asked for: this activation or its silo is going away. The run stays unfinished.
            logger.LogInformation("Training run {Id} interrupted on {Silo}; it continues on the next activation", Id, silo.Name);
        }
        catch (InconsistentStateException e)
        {
            // Another activation wrote the run since this one read it: that one owns the run now.
            logger.LogWarning("Training run {Id}: the stored state moved on ({Error}); this activation stops driving it", Id, e.Message);
            _work?.Cancel();
        }
        catch (Exception e)
        {
            logger.LogError(e, "Training run {Id} failed", Id);
            await FinishAsync(TrainingRunState.Failed, e is TrainingCapabilityException or ArgumentException ? e.Message : $"{e.GetType().Name}: {e.Message}");
        }
    }

    private async Task TrainAsync(CancellationToken cancellationToken)
    {
        var folder = Folder();
        var spec = S.Spec!;
        // An earlier attempt that was lost may have left a checkpoint in the run's work folder (one per run): continue from it.
        var checkpoint = folder.Checkpoint();
        var resume = S.Attempt > 0 && runner.CanResume && checkpoint is not null;
        S.Attempt++;
        S.Silo = silo.Name;
        S.StartedAt ??= DateTimeOffset.UtcNow;
        if (S.Attempt > 1)
        {
            S.Note = resume
                ? $"Attempt {S.Attempt} resumed from checkpoint {Path.GetFileName(checkpoint)} on {silo.Name} after the previous attempt was lost."
                : $"Attempt {S.Attempt} restarted from scratch on {silo.Name} after the previous attempt was lost (it had written no checkpoint).";
            logger.LogWarning("Training run {Id}: {Note}", Id, S.Note);
        }
        if (!resume)
        {
            TrainingRunProgress.Reset(S);
            folder.ClearWork();
        }
        await WriteAsync();
        Signal();
        spec = await RunBaseModel.ResolveAsync(spec, folder, GrainFactory.GetGrain<IModelRegistryGrain>(IModelRegistryGrain.Key).GetAsync);
        var buffer = _buffer = new TrainingProgressBuffer();
        var result = await runner.RunAsync(spec, folder.Work, resume, buffer, cancellationToken);
        Apply(buffer.Drain());

        var published = folder.Publish(result);
        (S.ModelFile, S.AdapterFile, S.ManifestFile) = (published.ModelFile, published.AdapterFile, published.ManifestFile);
        S.PromptFormat = result.PromptFormat;
        S.TrainedTasks = [.. result.Tasks];
        S.RemainingSeconds = null;
        S.State = TrainingRunState.Evaluating;
        await WriteAsync();
        Signal();
        logger.LogInformation("Training run {Id} trained {Steps} steps on {Silo}; scoring {Model} on the held-out fold", Id, S.Step, silo.Name, S.ModelFile);
    }

    private async Task EvaluateAndRegisterAsync(CancellationToken cancellationToken)
    {
        var spec = S.Spec!;
        var files = new PublishedRun(S.ModelFile!, S.AdapterFile, S.ManifestFile!);
        var manifest = await File.ReadAllTextAsync(Folder().InStore(files.ManifestFile), cancellationToken);
        var version = TrainedVersion.Of(spec, Id, files, S.PromptFormat!, S.TrainedTasks, manifest);
        // Off the scheduler; the lambda must not touch grain state (not readable from another thread).
        var tasks = S.TrainedTasks.ToArray();
        var metrics = await Task.Run(() => evaluator.EvaluateAsync(version, tasks, spec.EvaluationLimit, cancellationToken), cancellationToken);
        if (!spec.LabHeldOut.IsDefaultOrEmpty && TrainedVersion.Parent(spec) is { } parentId
            && await GrainFactory.GetGrain<IModelRegistryGrain>(IModelRegistryGrain.Key).GetAsync(parentId) is { } parent)
        {
            // The lab's held-out records, before (the parent) and after (this run): the loop's own measure of what the update learnt.
            var heldOut = spec.LabHeldOut.ToArray();
            var trained = version;
            metrics = metrics.AddRange(await Task.Run(() => labScorer.ScoreAsync(parent, trained, heldOut, cancellationToken), cancellationToken));
        }
        version = version with { Metrics = metrics };

        var registry = GrainFactory.GetGrain<IModelRegistryGrain>(IModelRegistryGrain.Key);
        await registry.RegisterAsync(version);
        if (spec.MakeDefault)
        {
            foreach (var task in version.Tasks)
                await registry.SetDefaultAsync(task, version.Id);
        }
        S.VersionId = version.Id;
        logger.LogInformation("Training run {Id} registered model version {Version}", Id, version.Id);
        await FinishAsync(TrainingRunState.Completed, null);
    }

    private async Task FinishAsync(TrainingRunState final, string? error)
    {
        if (_buffer is { } buffer)
            Apply(buffer.Drain()); // The steps done before a cancellation or failure still count.
        S.State = final;
        S.Error = error;
        S.FinishedAt = DateTimeOffset.UtcNow;
        S.RemainingSeconds = null;
        await WriteAsync();
        _flush?.Dispose();
        _flush = null;
        Signal();
        await Directory.MarkFinishedAsync(Id);
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_buffer is not { } buffer)
            return;
        var events = buffer.Drain();
        if (events.Count == 0 || IsFinished)
            return;
        Apply(events);
        try
        {
            await WriteAsync();
        }
        catch (InconsistentStateException e)
        {
            logger.LogWarning("Training run {Id}: the stored state moved on ({Error}); this activation stops training", Id, e.Message);
            _work?.Cancel();
        }
        Signal();
    }

    private void Apply(IReadOnlyList<TrainingJobProgress> events) => TrainingRunProgress.Apply(S, events, options.Value.Training.MaxLossPoints);

    private string StoreDirectory() => options.Value.ModelStoreDirectory is { Length: > 0 } store
        ? Path.GetFullPath(store)
        : throw new InvalidOperationException("This silo has no model store (DarwinGrid:ModelStoreDir) to keep trained models in.");

    private RunFolder Folder() => new(StoreDirectory(), Id);

    /// <summary>State writes come from calls, the timer and the driver; one at a time keeps the ETag chain intact.</summary>
    private Task WriteAsync() => (_writer ??= new StateWriter(() => state.WriteStateAsync())).WriteAsync();

    private void Signal() => _feed.Signal();

    private TrainingRunStatus Status() => TrainingRunProgress.Status(S, Id);
}

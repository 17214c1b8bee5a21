using System.Collections.Immutable;
using DarwinGrid.Grains.Placement;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace DarwinGrid.Grains.Models;

/// <summary>
/// One inference engine for one model version on one device, on the silo that owns the device
/// (<see cref="DeviceSiloPlacementAttribute"/>). Reentrant: many batches from many task grains are
/// in the engine at once, which is what continuous batching needs. The model is loaded on the
/// first call and released when the grain is deactivated.
/// </summary>
[Reentrant]
[DeviceSiloPlacement]
public sealed class ModelGrain(IPropertyPredictorFactory factory, ILogger<ModelGrain> logger) : Grain, IModelGrain
{
    private readonly RateMeter _predictions = new(TimeSpan.FromSeconds(10));
    private readonly RateMeter _tokens = new(TimeSpan.FromSeconds(10));
    private ModelGrainKey _key;
    private Task<IPropertyPredictor>? _loading;
    private int _queueDepth;
    private string? _error;

    /// <summary>The model file cannot be loaded (wrong architecture, missing tensors): permanent, so it is not tried again.</summary>
    private bool _loadFailed;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _key = ModelGrainKey.Parse(this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    public async Task<ImmutableArray<Prediction>> PredictAsync(PredictionBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Inputs.IsDefaultOrEmpty)
            return [];
        var task = Domain.Tasks.TaskAliases.TryResolve(batch.Task)?.Name
            ?? throw new ArgumentException($"Unknown task '{batch.Task}'; give a catalog task name or an alias such as band_gap.");
        var predictor = await LoadAsync(cancellationToken);
        _queueDepth += batch.Inputs.Length;
        try
        {
            var tokensBefore = predictor.TokensProcessed;
            // The predictor tokenizes and waits for the engine; none of that belongs on the grain's scheduler.
            var predictions = await Task.Run(() => predictor.PredictAsync(task, batch.Inputs, batch.Estimate, cancellationToken), cancellationToken);
            _predictions.Add(predictions.Count);
            _tokens.Add(predictor.TokensProcessed - tokensBefore);
            return [.. predictions];
        }
        finally
        {
            _queueDepth -= batch.Inputs.Length;
        }
    }

    public Task<ModelLoad> GetLoadAsync() => Task.FromResult(new ModelLoad(
        this.GetPrimaryKeyString(), _key.Version, $"{_key.Silo}/{_key.Device}",
        _loading is { IsCompletedSuccessfully: true }, _queueDepth, _predictions.Total,
        _predictions.PerSecond(), _tokens.PerSecond(), _error, _loadFailed));

    private Task<IPropertyPredictor> LoadAsync(CancellationToken cancellationToken)
    {
        if (_loading is { IsFaulted: true } or { IsCanceled: true } && !_loadFailed)
            _loading = null; // Try again: the file may have appeared, or the failure was transient.
        return _loading ??= LoadCoreAsync(cancellationToken);
    }

    private async Task<IPropertyPredictor> LoadCoreAsync(CancellationToken cancellationToken)
    {
        var registry = GrainFactory.GetGrain<IModelRegistryGrain>(IModelRegistryGrain.Key);
        var version = await registry.GetAsync(_key.Version)
            ?? throw new InvalidOperationException($"Model version '{_key.Version}' is not registered.");
        try
        {
            var predictor = await factory.CreateAsync(version, _key.Device, CancellationToken.None);
            _error = null;
            logger.LogInformation("Model grain {Key} loaded {Path}", _key, version.BaseModelPath);
            return predictor;
        }
        catch (Exception e)
        {
            _error = e.Message;
            _loadFailed = e is Inference.Models.ModelFileException;
            logger.LogError(e, "Model grain {Key} failed to load {Path}", _key, version.BaseModelPath);
            throw;
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_loading is { IsCompletedSuccessfully: true } loaded)
            await loaded.Result.DisposeAsync();
    }
}

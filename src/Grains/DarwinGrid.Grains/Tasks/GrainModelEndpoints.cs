using System.Collections.Immutable;
using DarwinGrid.Grains.Models;

namespace DarwinGrid.Grains.Tasks;

/// <summary>The model grains of a version in the cluster, picked by <see cref="ModelEndpointPicker"/>.</summary>
public sealed class GrainModelEndpoints(IGrainFactory grains, string version) : IModelEndpoints
{
    private readonly ModelEndpointPicker _picker = new(grains, version);

    public Task<string?> PickAsync(int inputs) => _picker.PickAsync(inputs);

    public void Returned(string key, int inputs) => _picker.Returned(key, inputs);

    public void Invalidate(string key) => _picker.Invalidate(key);

    public Task<ImmutableArray<Prediction>> PredictAsync(string key, PredictionBatch batch, CancellationToken cancellationToken) =>
        grains.GetGrain<IModelGrain>(key).PredictAsync(batch, cancellationToken);

    public async Task<string?> LoadFailureAsync(string key)
    {
        try
        {
            var load = await grains.GetGrain<IModelGrain>(key).GetLoadAsync().WaitAsync(TimeSpan.FromSeconds(10));
            return load.LoadFailed ? load.Error ?? "the model failed to load" : null;
        }
        catch (Exception)
        {
            return null; // The grain is unreachable: a transient failure, retried.
        }
    }
}

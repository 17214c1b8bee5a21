using System.Collections.Immutable;
using DarwinGrid.Grains.Models;

namespace DarwinGrid.Grains.Tasks;

/// <summary>The model grains serving one version, as a task's model calls see them.</summary>
public interface IModelEndpoints
{
    /// <summary>The endpoint to send <paramref name="inputs"/> to, or null when no live silo serves the version.</summary>
    Task<string?> PickAsync(int inputs);

    /// <summary>A call to <paramref name="key"/> returned (or failed); its inputs no longer count as its load.</summary>
    void Returned(string key, int inputs);

    /// <summary>A call to <paramref name="key"/> failed: pick others until the serving keys are read again.</summary>
    void Invalidate(string key);

    Task<ImmutableArray<Prediction>> PredictAsync(string key, PredictionBatch batch, CancellationToken cancellationToken);

    /// <summary>Why the endpoint cannot load its model, when that is why a call failed (a permanent failure); null otherwise.</summary>
    Task<string?> LoadFailureAsync(string key);
}

using System.Collections.Immutable;
using DarwinGrid.Grains.Models;

namespace DarwinGrid.Grains.Materials;

[GenerateSerializer, Immutable]
public sealed record MaterialInfo(
    [property: Id(0)] string Composition,
    [property: Id(1)] ImmutableDictionary<string, double> ElementFractions,
    [property: Id(2)] ImmutableArray<Prediction> Predictions);

/// <summary>
/// One candidate material (key: canonical composition) and its predictions per (task, model
/// version). Bulk screening reads and writes the prediction cache in batches through the results
/// store, not through one activation per material; this grain serves single-material views.
/// </summary>
[Alias("DarwinGrid.IMaterialGrain")]
public interface IMaterialGrain : IGrainWithStringKey
{
    [Alias("Get")] Task<MaterialInfo> GetAsync();
    [Alias("Prediction")] Task<Prediction?> GetPredictionAsync(string task, string modelVersion);
}

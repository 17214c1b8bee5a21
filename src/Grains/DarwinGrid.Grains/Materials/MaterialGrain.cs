using Orleans.Placement;
using System.Collections.Immutable;
using DarwinGrid.Domain.Compositions;
using DarwinGrid.Grains.Models;
using DarwinGrid.Grains.Storage;

namespace DarwinGrid.Grains.Materials;

/// <summary>
/// One material (key: its canonical composition) for single-material views. It holds no state of
/// its own: predictions live in the results store's prediction cache, which bulk screening reads
/// and writes in batches without activating material grains. Idle activations are collected after
/// two minutes, so browsing many materials does not leave them all resident.
/// </summary>
[CollectionAgeLimit(Minutes = 2)]
// Spread over every silo of a cluster (the default, resource-optimised placement bunches them up).
[RandomPlacement]
// Material views show the default estimate's (median) cached answers.
public sealed class MaterialGrain(IResultStore store) : Grain, IMaterialGrain
{
    private Composition? _composition;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        if (CompositionParser.TryParse(key, out var composition, out _) && composition.CanonicalFormula == key)
            _composition = composition;
        return Task.CompletedTask;
    }

    public async Task<MaterialInfo> GetAsync()
    {
        var composition = Require();
        var registry = GrainFactory.GetGrain<IModelRegistryGrain>(IModelRegistryGrain.Key);
        var predictions = ImmutableArray.CreateBuilder<Prediction>();
        foreach (var version in await registry.ListAsync())
        {
            var tasks = version.Tasks.IsDefaultOrEmpty ? Domain.Tasks.TaskCatalog.All.Select(t => t.Name) : version.Tasks;
            foreach (var task in tasks)
            {
                var found = await store.GetCachedPredictionsAsync(task, version.Id, PredictionEstimate.Median, [composition.CanonicalFormula]);
                if (found.TryGetValue(composition.CanonicalFormula, out var prediction))
                    predictions.Add(prediction);
            }
        }
        var fractions = composition.Fractions.ToImmutableDictionary(f => f.Element.Symbol, f => f.Amount, StringComparer.Ordinal);
        return new MaterialInfo(composition.CanonicalFormula, fractions, predictions.ToImmutable());
    }

    public async Task<Prediction?> GetPredictionAsync(string task, string modelVersion)
    {
        var composition = Require();
        var name = Domain.Tasks.TaskAliases.TryResolve(task)?.Name ?? throw new ArgumentException($"Unknown task '{task}'.");
        var found = await store.GetCachedPredictionsAsync(name, modelVersion, PredictionEstimate.Median, [composition.CanonicalFormula]);
        return found.GetValueOrDefault(composition.CanonicalFormula);
    }

    private Composition Require() => _composition ?? throw new ArgumentException(
        $"Material key '{this.GetPrimaryKeyString()}' is not a canonical composition; key material grains by Composition.CanonicalFormula.");
}

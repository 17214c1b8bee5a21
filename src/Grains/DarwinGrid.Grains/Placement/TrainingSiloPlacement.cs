using Orleans.Placement;
using Orleans.Runtime;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Placement;

namespace DarwinGrid.Grains.Placement;

/// <summary>
/// Training goes only to silos that publish <see cref="MetadataKey"/> = <c>true</c> in their silo
/// metadata (<c>DarwinGridGrainOptions.Training.CanTrain</c>). Orleans' own
/// <c>RequiredMatchSiloMetadataPlacementFilter</c> matches the value of the calling silo instead,
/// which would place training from a non-training gateway on non-training silos; hence this filter.
/// </summary>
public static class TrainingSilos
{
    public const string MetadataKey = "darwingrid.can-train";

    public static bool CanTrain(SiloMetadata metadata) =>
        metadata.Metadata.TryGetValue(MetadataKey, out var value) && string.Equals(value, "true", StringComparison.OrdinalIgnoreCase);
}

public sealed class TrainingSiloPlacementFilterStrategy() : PlacementFilterStrategy(order: 0);

[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class TrainingSiloPlacementFilterAttribute() : PlacementFilterAttribute(new TrainingSiloPlacementFilterStrategy());

/// <summary>Keeps the candidate silos whose metadata says they may train; none is an error that says what to configure.</summary>
public sealed class TrainingSiloPlacementFilterDirector(ISiloMetadataCache metadata) : IPlacementFilterDirector
{
    public IEnumerable<SiloAddress> Filter(PlacementFilterStrategy filterStrategy, PlacementTarget target, IEnumerable<SiloAddress> silos)
    {
        var candidates = silos.ToList();
        var allowed = candidates.Where(s => TrainingSilos.CanTrain(metadata.GetSiloMetadata(s))).ToList();
        if (allowed.Count == 0)
            throw new OrleansException(
                $"No silo may run '{target.GrainIdentity}': none of the {candidates.Count} candidate silo(s) publishes {TrainingSilos.MetadataKey}=true " +
                "(set DarwinGrid:Training:CanTrain on a silo that should train).");
        return allowed;
    }
}

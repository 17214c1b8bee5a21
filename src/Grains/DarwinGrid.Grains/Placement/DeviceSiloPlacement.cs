using DarwinGrid.Grains.Models;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Placement;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace DarwinGrid.Grains.Placement;

/// <summary>Places a grain on the silo its key names (<see cref="ModelGrainKey"/>: <c>{version}@{silo}/{device}</c>).</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed class DeviceSiloPlacement : PlacementStrategy
{
    public static DeviceSiloPlacement Instance { get; } = new();
}

[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class DeviceSiloPlacementAttribute() : PlacementAttribute(DeviceSiloPlacement.Instance);

/// <summary>
/// The silo named in the key, if it is an active member that can host the grain and its silo
/// metadata lists the device (<see cref="SiloProfile"/>). Otherwise the placement fails: a device
/// belongs to its silo, and the caller asks the registry for live keys again.
/// </summary>
public sealed class DeviceSiloPlacementDirector(IClusterMembershipService membership, IServiceProvider services) : IPlacementDirector
{
    // Present only on silos started with silo metadata (clusters); without it every device is trusted.
    private readonly ISiloMetadataCache? _metadata = services.GetService<ISiloMetadataCache>();

    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var key = ModelGrainKey.Parse(target.GrainIdentity.Key.ToString()!);
        var compatible = context.GetCompatibleSilos(target);
        foreach (var member in membership.CurrentSnapshot.Members.Values)
        {
            if (member.Status == SiloStatus.Active && string.Equals(member.Name, key.Silo, StringComparison.Ordinal)
                && Array.IndexOf(compatible, member.SiloAddress) >= 0)
            {
                if (_metadata?.GetSiloMetadata(member.SiloAddress).Metadata is { } metadata && !SiloProfile.Offers(metadata, key.Device))
                    throw new OrleansException($"Model grain '{key}': silo '{key.Silo}' does not offer device '{key.Device}' (its devices: {metadata.GetValueOrDefault(SiloProfile.DevicesKey)}).");
                return Task.FromResult(member.SiloAddress);
            }
        }
        throw new OrleansException($"Model grain '{key}' belongs to silo '{key.Silo}', which is not an active member of the cluster.");
    }
}

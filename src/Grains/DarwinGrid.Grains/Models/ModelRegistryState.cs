using DarwinGrid.Grains.Models;

namespace DarwinGrid.Grains.Models;

/// <summary>Stored state of <see cref="ModelRegistryGrain"/> (never renamed: the stored JSON names it).</summary>
public sealed class ModelRegistryState
{
    public Dictionary<string, ModelVersionInfo> Versions { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Task (or <see cref="IModelRegistryGrain.AnyTask"/>) -> version id.</summary>
    public Dictionary<string, string> Defaults { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Version id -> campaigns that use it.</summary>
    public Dictionary<string, List<string>> Pins { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Device address (<c>silo/device</c>) -> device.</summary>
    public Dictionary<string, DeviceInfo> Devices { get; set; } = new(StringComparer.Ordinal);
}

namespace DarwinGrid.Grains.Placement;

/// <summary>What a silo is for: <see cref="Gpu"/> silos run model grains on their accelerators, <see cref="Cpu"/> silos on CPU engines only.</summary>
public enum SiloRole
{
    Cpu,
    Gpu,
}

/// <summary>
/// A silo's role and the devices it offers model grains, checked against each other, and the silo
/// metadata other silos read: <c>darwingrid.role</c>, <c>darwingrid.devices</c> (comma-separated)
/// and, on GPU silos only, <c>hardware.accelerator=gpu</c>. Campaigns, tasks and materials place
/// anywhere; a model grain only on the silo whose metadata lists its device.
/// </summary>
public sealed record SiloProfile(SiloRole Role, IReadOnlyList<string> Devices)
{
    public const string RoleKey = "darwingrid.role";
    public const string DevicesKey = "darwingrid.devices";
    public const string AcceleratorKey = "hardware.accelerator";

    /// <summary>
    /// The profile from configuration: <paramref name="role"/> <c>cpu</c> or <c>gpu</c> (null: <c>gpu</c> when a
    /// gpuN device is listed, else <c>cpu</c>); <paramref name="devices"/> such as <c>cpu0</c>, <c>gpu0</c> (none: <c>cpu0</c>).
    /// A gpu silo must list a gpu device and a cpu silo must not.
    /// </summary>
    /// <exception cref="ArgumentException">The role is unknown or does not fit the devices; the message names the settings.</exception>
    public static SiloProfile Resolve(string? role, IReadOnlyList<string>? devices)
    {
        var list = devices is { Count: > 0 } ? devices.Select(d => d.Trim()).Where(d => d.Length > 0).Distinct(StringComparer.Ordinal).ToList() : [];
        if (list.Count == 0)
            list.Add("cpu0");
        foreach (var device in list)
        {
            if (!IsGpu(device) && !device.StartsWith("cpu", StringComparison.OrdinalIgnoreCase) || device.IndexOfAny(['/', '@', '|', ',']) >= 0)
                throw new ArgumentException($"DarwinGrid:Devices: '{device}' is not a device name (cpu, cpu0, gpu0, ...).");
        }
        var hasGpu = list.Any(IsGpu);
        SiloRole resolved;
        if (string.IsNullOrWhiteSpace(role))
            resolved = hasGpu ? SiloRole.Gpu : SiloRole.Cpu;
        else if (!Enum.TryParse(role.Trim(), ignoreCase: true, out resolved) || !Enum.IsDefined(resolved))
            throw new ArgumentException($"DarwinGrid:Silo:Role is '{role}'; use 'cpu' or 'gpu'.");
        if (resolved == SiloRole.Gpu && !hasGpu)
            throw new ArgumentException($"DarwinGrid:Silo:Role is gpu but DarwinGrid:Devices ({string.Join(", ", list)}) lists no gpu device; add gpu0.");
        if (resolved == SiloRole.Cpu && hasGpu)
            throw new ArgumentException($"DarwinGrid:Silo:Role is cpu but DarwinGrid:Devices lists {string.Join(", ", list.Where(IsGpu))}; a cpu silo offers no accelerator (set the role to gpu).");
        return new SiloProfile(resolved, list);
    }

    public static bool IsGpu(string device) => device.StartsWith("gpu", StringComparison.OrdinalIgnoreCase);

    /// <summary>The silo metadata this profile advertises.</summary>
    public Dictionary<string, string> Metadata()
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [RoleKey] = Role.ToString().ToLowerInvariant(),
            [DevicesKey] = string.Join(',', Devices),
        };
        if (Role == SiloRole.Gpu)
            metadata[AcceleratorKey] = "gpu";
        return metadata;
    }

    /// <summary>
    /// Whether a silo with this metadata may host a model grain for <paramref name="device"/>. A silo
    /// whose metadata is not known yet (just joined, or a cluster without metadata) is not refused.
    /// </summary>
    public static bool Offers(IReadOnlyDictionary<string, string> metadata, string device) =>
        !metadata.TryGetValue(DevicesKey, out var devices)
        || devices.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Contains(device, StringComparer.Ordinal);
}

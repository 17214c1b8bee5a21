using System.Collections.Immutable;
using DarwinGrid.Grains.Models;
using Orleans.Runtime;

namespace DarwinGrid.Web.Cluster;

/// <summary>One silo as the cluster page shows it.</summary>
public sealed record SiloView(
    string Name,
    string Address,
    string Host,
    SiloStatus Status,
    DateTime StartTime,
    int? Activations,
    float? CpuUsage,
    long? MemoryUsage,
    ImmutableArray<DeviceInfo> Devices)
{
    public bool IsActive => Status == SiloStatus.Active;
}

/// <summary>
/// Silos (membership and runtime statistics), their devices, and the model grains serving each
/// registered version with their queue depths and throughput.
/// </summary>
public sealed class ClusterModel(IGrainFactory grains)
{
    /// <summary>A model grain that does not answer within this time is shown as not answering.</summary>
    public static readonly TimeSpan LoadTimeout = TimeSpan.FromSeconds(3);

    public ImmutableArray<SiloView> Silos { get; private set; } = [];

    public ImmutableArray<ModelLoad> ModelGrains { get; private set; } = [];

    public bool Loaded { get; private set; }

    public int ActiveSilos => Silos.Count(s => s.IsActive);

    public int Devices => Silos.Where(s => s.IsActive).Sum(s => s.Devices.Length);

    public int GpuDevices => Silos.Where(s => s.IsActive).Sum(s => s.Devices.Count(d => d.Kind == DeviceKind.Gpu));

    /// <summary>Candidates per second over every model grain.</summary>
    public double CandidatesPerSecond => ModelGrains.Sum(m => m.CandidatesPerSecond);

    public int QueueDepth => ModelGrains.Sum(m => m.QueueDepth);

    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        var management = grains.GetGrain<IManagementGrain>(0);
        var registry = grains.GetGrain<IModelRegistryGrain>(IModelRegistryGrain.Key);
        var hosts = await management.GetDetailedHosts(onlyActive: false).WaitAsync(cancellationToken);
        var active = hosts.Where(h => h.Status == SiloStatus.Active).Select(h => h.SiloAddress).ToArray();
        var statistics = active.Length == 0 ? [] : await management.GetRuntimeStatistics(active).WaitAsync(cancellationToken);
        var statisticsBySilo = active.Zip(statistics).ToDictionary(p => p.First, p => p.Second);
        var devices = await registry.ListDevicesAsync().WaitAsync(cancellationToken);

        Silos = [.. hosts
            // A restarted silo leaves its dead entries behind; show the living first, then the most recent dead.
            .OrderBy(h => h.Status == SiloStatus.Active ? 0 : 1).ThenByDescending(h => h.StartTime)
            .Select(h =>
            {
                var stats = statisticsBySilo.GetValueOrDefault(h.SiloAddress);
                return new SiloView(h.SiloName, h.SiloAddress.ToString(), h.HostName, h.Status, h.StartTime,
                    stats?.ActivationCount, stats?.EnvironmentStatistics.FilteredCpuUsagePercentage, stats?.EnvironmentStatistics.FilteredMemoryUsageBytes,
                    [.. devices.Where(d => d.Silo == h.SiloName).OrderBy(d => d.Kind == DeviceKind.Gpu ? 0 : 1).ThenBy(d => d.Device, StringComparer.Ordinal)]);
            })];

        var versions = await registry.ListAsync().WaitAsync(cancellationToken);
        var keys = (await Task.WhenAll(versions.Select(v => registry.GetServingKeysAsync(v.Id).WaitAsync(cancellationToken)))).SelectMany(k => k);
        var loads = await Task.WhenAll(keys.Select(key => LoadOf(key, cancellationToken)));
        ModelGrains = [.. loads.OrderBy(l => l.ModelVersion, StringComparer.Ordinal).ThenBy(l => l.GrainKey, StringComparer.Ordinal)];
        Loaded = true;
    }

    private async Task<ModelLoad> LoadOf(string key, CancellationToken cancellationToken)
    {
        try
        {
            return await grains.GetGrain<IModelGrain>(key).GetLoadAsync().WaitAsync(LoadTimeout, cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or OrleansException)
        {
            var parsed = ModelGrainKey.Parse(key);
            return new ModelLoad(key, parsed.Version, $"{parsed.Silo}/{parsed.Device}", false, 0, 0, 0, 0, $"not answering: {e.Message}");
        }
    }
}

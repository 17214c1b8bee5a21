namespace DarwinGrid.Silo.Hosting;

/// <summary>How silos find each other: one process on localhost (the default), or a Redis membership table.</summary>
public enum ClusterMode
{
    Localhost,
    Redis,
}

/// <summary>Where grain state and campaign results live.</summary>
public enum StorageProvider
{
    Sqlite,
    PostgreSql,
}

/// <summary>
/// <c>DarwinGrid:Cluster</c>: membership. In <see cref="ClusterMode.Redis"/> mode silos and clients
/// find each other through the Redis server in <see cref="Redis"/>; silos with the same
/// <see cref="ClusterId"/> form one cluster.
/// </summary>
public sealed class ClusterSettings
{
    public ClusterMode Mode { get; set; } = ClusterMode.Localhost;

    /// <summary>A StackExchange.Redis connection string, e.g. <c>redis:6379</c> or <c>10.0.0.5:6379,password=...</c>.</summary>
    public string? Redis { get; set; }

    public string ClusterId { get; set; } = "darwingrid";

    public string ServiceId { get; set; } = "darwingrid";

    /// <summary>The address other silos and clients reach this silo at; default the host's first non-loopback IPv4 address.</summary>
    public string? AdvertisedIp { get; set; }

    /// <summary>
    /// How long a client keeps retrying a grain call that was rejected or timed out while a silo
    /// was failing over (see <c>GrainCallRetry</c>); the first attempt counts.
    /// </summary>
    public TimeSpan ClientRetryWindow { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The longest a single grain call from a client may take before it is abandoned (and retried when it is safe to).</summary>
    public TimeSpan ClientCallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Mutual TLS between silos and from clients (required unless the silo listens on loopback only).</summary>
    public ClusterTlsSettings Tls { get; set; } = new();
}

/// <summary><c>DarwinGrid:Storage</c>: the provider of grain state and results.</summary>
public sealed class StorageSettings
{
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>An Npgsql connection string, e.g. <c>Host=db;Database=darwingrid;Username=darwin;Password=...</c>.</summary>
    public string? PostgreSql { get; set; }
}

/// <summary><c>DarwinGrid:Silo</c>: what this silo is for.</summary>
public sealed class SiloSettings
{
    /// <summary><c>cpu</c> or <c>gpu</c>; default from <c>DarwinGrid:Devices</c> (gpu when a gpuN device is listed).</summary>
    public string? Role { get; set; }
}

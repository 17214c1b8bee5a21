using DarwinGrid.Silo.Hosting;

namespace DarwinGrid.Cli.Tests.Cluster;

/// <summary>The DarwinGrid:Cluster / Storage / Silo keys as the deployment files spell them, bound and checked.</summary>
public sealed class ClusterSettingsTests
{
    private static DarwinGridSettings Read(params (string Key, string Value)[] settings) =>
        DarwinHost.ReadSettings(settings.ToDictionary(s => s.Key, s => (string?)s.Value));

    [Fact]
    public void DefaultsAreTodaysSingleNode()
    {
        var settings = Read();
        Assert.Equal(ClusterMode.Localhost, settings.Cluster.Mode);
        Assert.Equal(StorageProvider.Sqlite, settings.Storage.Provider);
        Assert.Equal(("darwingrid", "darwingrid"), (settings.Cluster.ClusterId, settings.Cluster.ServiceId));
        ClusterHosting.Validate(settings);
    }

    [Fact]
    public void TheDeploymentKeysBind()
    {
        var settings = Read(
            ("DarwinGrid:Cluster:Mode", "Redis"), ("DarwinGrid:Cluster:Redis", "redis:6379"), ("DarwinGrid:Cluster:ClusterId", "prod"),
            ("DarwinGrid:Cluster:ServiceId", "darwin"), ("DarwinGrid:Cluster:AdvertisedIp", "10.1.2.3"),
            ("DarwinGrid:Storage:Provider", "PostgreSql"), ("DarwinGrid:Storage:PostgreSql", "Host=db;Database=darwingrid;Username=darwin"),
            ("DarwinGrid:Silo:Role", "gpu"), ("DarwinGrid:Devices:0", "gpu0"),
            ("DarwinGrid:Cluster:Tls:Certificate", "/certs/silo.pem"), ("DarwinGrid:Cluster:Tls:Key", "/certs/silo.key"),
            ("DarwinGrid:Cluster:Tls:CertificateAuthority", "/certs/ca.pem"));
        Assert.Equal(("/certs/silo.pem", "/certs/silo.key", "/certs/ca.pem"),
            (settings.Cluster.Tls.Certificate, settings.Cluster.Tls.Key, settings.Cluster.Tls.CertificateAuthority));
        Assert.Equal(ClusterMode.Redis, settings.Cluster.Mode);
        Assert.Equal("redis:6379", settings.Cluster.Redis);
        Assert.Equal(("prod", "darwin", "10.1.2.3"), (settings.Cluster.ClusterId, settings.Cluster.ServiceId, settings.Cluster.AdvertisedIp));
        Assert.Equal(StorageProvider.PostgreSql, settings.Storage.Provider);
        Assert.Equal("gpu", settings.Silo.Role);
        Assert.Equal(["gpu0"], settings.Devices);
        ClusterHosting.Validate(settings);
    }

    [Theory]
    [InlineData("Redis", null, "PostgreSql", "Host=db", "DarwinGrid:Cluster:Redis")]
    [InlineData("Redis", "redis:6379", "Sqlite", null, "DarwinGrid:Storage:Provider is Sqlite")]
    [InlineData("Localhost", null, "PostgreSql", null, "DarwinGrid:Storage:PostgreSql")]
    [InlineData("Localhost", null, "PostgreSql", "Database=x", "names no Host")]
    public void IncompleteSettingsAreRejectedNamingTheKey(string mode, string? redis, string provider, string? postgres, string message)
    {
        var pairs = new List<(string, string)> { ("DarwinGrid:Cluster:Mode", mode), ("DarwinGrid:Storage:Provider", provider) };
        if (redis is not null)
            pairs.Add(("DarwinGrid:Cluster:Redis", redis));
        if (postgres is not null)
            pairs.Add(("DarwinGrid:Storage:PostgreSql", postgres));
        var error = Assert.Throws<ArgumentException>(() => ClusterHosting.Validate(Read([.. pairs])));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void ABadAdvertisedIpIsRejected()
    {
        var settings = Read(("DarwinGrid:Cluster:Mode", "Redis"), ("DarwinGrid:Cluster:Redis", "redis:6379"), ("DarwinGrid:Cluster:AdvertisedIp", "pod-1"),
            ("DarwinGrid:Storage:Provider", "PostgreSql"), ("DarwinGrid:Storage:PostgreSql", "Host=db"));
        Assert.Contains("AdvertisedIp", Assert.Throws<ArgumentException>(() => ClusterHosting.Validate(settings)).Message);
    }

    [Fact]
    public void ASiloListeningBeyondLoopbackWithoutTlsIsRefusedNamingTheSetting()
    {
        var settings = Read(("DarwinGrid:Cluster:Mode", "Redis"), ("DarwinGrid:Cluster:Redis", "redis:6379"), ("DarwinGrid:Cluster:AdvertisedIp", "10.1.2.3"),
            ("DarwinGrid:Storage:Provider", "PostgreSql"), ("DarwinGrid:Storage:PostgreSql", "Host=db"));
        var error = Assert.Throws<ArgumentException>(() => ClusterHosting.Validate(settings));
        Assert.Contains("DarwinGrid:Cluster:Tls:Certificate", error.Message);
        Assert.Contains("10.1.2.3", error.Message);

        // The same cluster advertised on loopback (deploy/local/cluster.sh) may run without TLS.
        ClusterHosting.Validate(Read(("DarwinGrid:Cluster:Mode", "Redis"), ("DarwinGrid:Cluster:Redis", "redis:6379"), ("DarwinGrid:Cluster:AdvertisedIp", "127.0.0.1"),
            ("DarwinGrid:Storage:Provider", "PostgreSql"), ("DarwinGrid:Storage:PostgreSql", "Host=db")));
    }
}

using System.Net;
using System.Net.Sockets;
using DarwinGrid.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Runtime.MembershipService.SiloMetadata;
using StackExchange.Redis;

namespace DarwinGrid.Silo.Hosting;

/// <summary>
/// The parts of a silo or client that depend on <c>DarwinGrid:Cluster</c> and <c>DarwinGrid:Storage</c>:
/// membership (localhost, or Redis tuned for ~1 s failover, with Redis reminders), grain state and
/// results (SQLite or PostgreSQL), endpoints and silo metadata.
/// </summary>
public static class ClusterHosting
{
    /// <summary>
    /// Membership tuned for fast failover (measured: a killed silo's grains answer again elsewhere
    /// after 0.8–1 s instead of 10–14 s with the defaults): probe every second, two missed probes
    /// make a suspect, the table is re-read every 2 s.
    /// </summary>
    public static void FastFailover(ClusterMembershipOptions o)
    {
        o.ProbeTimeout = TimeSpan.FromSeconds(1);
        o.NumMissedProbesLimit = 2;
        o.TableRefreshTimeout = TimeSpan.FromSeconds(2);
        o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
    }

    /// <summary>Checks the settings fit together; the message names the setting to change.</summary>
    /// <exception cref="ArgumentException">A required setting is missing or contradicts another.</exception>
    public static void Validate(DarwinGridSettings settings)
    {
        if (settings.Cluster.Mode == ClusterMode.Redis)
        {
            if (string.IsNullOrWhiteSpace(settings.Cluster.Redis))
                throw new ArgumentException("DarwinGrid:Cluster:Mode is Redis but DarwinGrid:Cluster:Redis (the Redis connection string, e.g. redis:6379) is not set.");
            RedisOptions(settings.Cluster.Redis);
            if (settings.Storage.Provider == StorageProvider.Sqlite)
                throw new ArgumentException(
                    "DarwinGrid:Cluster:Mode is Redis but DarwinGrid:Storage:Provider is Sqlite: silos of a cluster need one shared store; set it to PostgreSql with DarwinGrid:Storage:PostgreSql.");
            if (string.IsNullOrWhiteSpace(settings.Cluster.ClusterId) || string.IsNullOrWhiteSpace(settings.Cluster.ServiceId))
                throw new ArgumentException("DarwinGrid:Cluster:ClusterId and DarwinGrid:Cluster:ServiceId must not be empty.");
            if (settings.Cluster.AdvertisedIp is { Length: > 0 } ip && !IPAddress.TryParse(ip, out _))
                throw new ArgumentException($"DarwinGrid:Cluster:AdvertisedIp '{ip}' is not an IP address.");
        }
        if (!settings.Cluster.Tls.Enabled && !ClusterTls.ListensOnLoopbackOnly(settings.Cluster))
            throw new ArgumentException(
                $"This silo listens on {AdvertisedAddress(settings.Cluster.AdvertisedIp)}, not on loopback alone, but DarwinGrid:Cluster:Tls:Certificate is not set: " +
                "anyone reaching the gateway would control the grid. Set DarwinGrid:Cluster:Tls:Certificate, :Key and :CertificateAuthority ('darwin cluster certs --out DIR' makes them), " +
                "or DarwinGrid:Cluster:AdvertisedIp=127.0.0.1 for a cluster on this machine only.");
        if (settings.Storage.Provider == StorageProvider.PostgreSql)
        {
            if (string.IsNullOrWhiteSpace(settings.Storage.PostgreSql))
                throw new ArgumentException("DarwinGrid:Storage:Provider is PostgreSql but DarwinGrid:Storage:PostgreSql (an Npgsql connection string) is not set.");
            try
            {
                new PostgreSqlResultStoreOptions { ConnectionString = settings.Storage.PostgreSql }.BuildConnectionString();
            }
            catch (InvalidOperationException e)
            {
                throw new ArgumentException($"DarwinGrid:Storage:PostgreSql: {e.Message}", e);
            }
        }
    }

    /// <summary>Membership and endpoints (metadata: see DarwinGridGrainOptions.SiloMetadata) of a silo listening on <paramref name="siloPort"/>/<paramref name="gatewayPort"/>.</summary>
    public static void ConfigureMembership(ISiloBuilder silo, DarwinGridSettings settings, int siloPort, int gatewayPort)
    {
        var cluster = settings.Cluster;
        if (cluster.Mode == ClusterMode.Localhost)
        {
            silo.UseLocalhostClustering(siloPort, gatewayPort);
        }
        else
        {
            var address = AdvertisedAddress(cluster.AdvertisedIp);
            silo.UseRedisClustering(o => o.ConfigurationOptions = RedisOptions(cluster.Redis!))
                // Durable reminders on the same Redis, for grains that want them. Campaigns do not
                // depend on them: every silo's keeper resumes unfinished campaigns within seconds.
                .UseRedisReminderService(o => o.ConfigurationOptions = RedisOptions(cluster.Redis!))
                .Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = cluster.ClusterId;
                    o.ServiceId = cluster.ServiceId;
                })
                // A silo advertised on loopback (a local cluster) listens there only.
                .ConfigureEndpoints(address, siloPort, gatewayPort, listenOnAnyHostAddress: !IPAddress.IsLoopback(address))
                .Configure<ClusterMembershipOptions>(FastFailover);
        }
    }

    /// <summary>Mutual TLS on the silo and gateway ports when <c>DarwinGrid:Cluster:Tls</c> names a certificate.</summary>
    public static void ConfigureTls(ISiloBuilder silo, DarwinGridSettings settings)
    {
        if (settings.Cluster.Tls.Enabled)
            ClusterTls.ConfigureSilo(silo, ClusterTls.Load(settings.Cluster.Tls));
    }

    /// <summary>Grain state (default provider) and the results store.</summary>
    public static void ConfigureStorage(ISiloBuilder silo, DarwinGridSettings settings, string sqlitePath)
    {
        if (settings.Storage.Provider == StorageProvider.PostgreSql)
        {
            silo.AddPostgreSqlGrainStorageAsDefault(o => o.ConnectionString = settings.Storage.PostgreSql)
                .AddPostgreSqlResultStore(o => o.ConnectionString = settings.Storage.PostgreSql);
        }
        else
        {
            silo.AddSqliteGrainStorageAsDefault(o => o.DatabasePath = sqlitePath)
                .AddSqliteResultStore(o => o.DatabasePath = sqlitePath);
        }
    }

    /// <summary>How a client finds gateways: the localhost gateway port, or the Redis membership table.</summary>
    public static void ConfigureClient(IClientBuilder client, DarwinGridSettings settings)
    {
        var cluster = settings.Cluster;
        if (cluster.Mode == ClusterMode.Localhost)
        {
            client.UseLocalhostClustering(settings.GatewayPort);
        }
        else
        {
            client.UseRedisClustering(o => o.ConfigurationOptions = RedisOptions(cluster.Redis!))
                .Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = cluster.ClusterId;
                    o.ServiceId = cluster.ServiceId;
                })
                // Drop a dead silo's gateway within seconds instead of a minute.
                .Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(2));
        }
        // The client presents its certificate to every gateway (darwin web, screen/models/train --cluster).
        if (cluster.Tls.Enabled)
            ClusterTls.ConfigureClient(client, ClusterTls.Load(cluster.Tls));
        client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = cluster.ClientCallTimeout);
        client.Services.AddSingleton(settings.ClientRetry());
    }

    /// <summary>Redis options that fail fast and say so when the server cannot be reached, instead of waiting on it.</summary>
    public static ConfigurationOptions RedisOptions(string connectionString)
    {
        ConfigurationOptions options;
        try
        {
            options = ConfigurationOptions.Parse(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"DarwinGrid:Cluster:Redis '{connectionString}' is not a Redis connection string: {e.Message}", e);
        }
        if (options.EndPoints.Count == 0)
            throw new ArgumentException($"DarwinGrid:Cluster:Redis '{connectionString}' names no host:port.");
        options.AbortOnConnectFail = true;
        options.ConnectRetry = 2;
        options.ConnectTimeout = Math.Min(options.ConnectTimeout, 5000);
        return options;
    }

    /// <summary>The configured address, or the host's first non-loopback IPv4 address (a pod's own IP), or loopback.</summary>
    public static IPAddress AdvertisedAddress(string? configured)
    {
        if (configured is { Length: > 0 })
            return IPAddress.Parse(configured);
        try
        {
            return Dns.GetHostAddresses(Dns.GetHostName())
                .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a)) ?? IPAddress.Loopback;
        }
        catch (SocketException)
        {
            return IPAddress.Loopback;
        }
    }
}

using DarwinGrid.Grains.Clients;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DarwinGrid.Silo.Hosting;

/// <summary>
/// What a CLI verb talks to: a silo started in this process (on free ports, over the configured
/// database), or with <c>--cluster</c> a running silo's gateway. Disposing stops what was started.
/// </summary>
public sealed class GridConnection : IAsyncDisposable
{
    private readonly IHost _host;

    private GridConnection(IHost host, bool embedded)
    {
        _host = host;
        Embedded = embedded;
        Client = host.Services.GetRequiredService<IClusterClient>();
        Retry = host.Services.GetService<GrainCallRetry>() ?? GrainCallRetry.None;
    }

    public IClusterClient Client { get; }

    public bool Embedded { get; }

    /// <summary>How calls through <see cref="Client"/> ride out a silo failover (<c>DarwinGrid:Cluster:ClientRetryWindow</c>).</summary>
    public GrainCallRetry Retry { get; }

    /// <summary>
    /// Connects to the cluster with <paramref name="cluster"/> (always in Redis mode: a Redis cluster
    /// is never embedded), otherwise starts a silo in this process.
    /// </summary>
    /// <exception cref="InvalidOperationException">No cluster to connect to, or an embedded silo would share the database with a running one.</exception>
    /// <exception cref="ArgumentException">The cluster settings are incomplete (the message names the setting).</exception>
    public static async Task<GridConnection> OpenAsync(bool cluster, IReadOnlyDictionary<string, string?> overrides, CancellationToken cancellationToken)
    {
        var settings = DarwinHost.ReadSettings(overrides);
        // A verb's own output is the verb's: the hosts it starts log errors only (a failover's
        // connection warnings would land in the middle of a progress bar).
        var quiet = new Dictionary<string, string?>(overrides)
        {
            ["Logging:LogLevel:Default"] = "Error",
            ["Logging:LogLevel:DarwinGrid"] = "Warning",
        };
        if (cluster || settings.Cluster.Mode == ClusterMode.Redis)
        {
            var client = DarwinHost.CreateClient(quiet);
            try
            {
                await client.StartAsync(cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                client.Dispose();
                throw new InvalidOperationException(settings.Cluster.Mode == ClusterMode.Redis
                    ? $"Cannot join DarwinGrid cluster '{settings.Cluster.ClusterId}' through Redis at {settings.Cluster.Redis} ({e.GetBaseException().Message}); " +
                      "check DarwinGrid:Cluster:Redis, that silos run ('darwin serve'), and with TLS that DarwinGrid:Cluster:Tls names a certificate of the cluster's CA."
                    : $"No DarwinGrid silo answers on localhost:{settings.GatewayPort} ({e.Message}); start one with 'darwin serve'.", e);
            }
            return new GridConnection(client, embedded: false);
        }

        if (DarwinHost.IsListening(settings.GatewayPort))
            throw new InvalidOperationException(
                $"A silo already listens on localhost:{settings.GatewayPort}; connect to it with --cluster (two clusters must not share {settings.ResolvedDatabasePath}).");
        // Unless it serves the dashboard (darwin demo), nothing can reach a verb's own silo from outside: no dashboard statistics.
        if (settings.Urls is not { Length: > 0 })
            quiet["DarwinGrid:Web:OrleansDashboard"] = "false";
        NativeLog.ErrorsOnly();
        var silo = DarwinHost.CreateSilo(quiet, (DarwinHost.FreePort(), DarwinHost.FreePort()));
        await silo.StartAsync(cancellationToken);
        return new GridConnection(silo, embedded: true);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _host.StopAsync(timeout.Token);
        }
        finally
        {
            _host.Dispose();
        }
    }
}

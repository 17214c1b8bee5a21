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
    }

    public IClusterClient Client { get; }

    public bool Embedded { get; }

    /// <exception cref="InvalidOperationException">No cluster to connect to, or an embedded silo would share the database with a running one.</exception>
    public static async Task<GridConnection> OpenAsync(bool cluster, IReadOnlyDictionary<string, string?> overrides, CancellationToken cancellationToken)
    {
        var settings = DarwinHost.ReadSettings(overrides);
        if (cluster)
        {
            var client = DarwinHost.CreateClient(overrides);
            try
            {
                await client.StartAsync(cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                client.Dispose();
                throw new InvalidOperationException($"No DarwinGrid silo answers on localhost:{settings.GatewayPort} ({e.Message}); start one with 'darwin serve'.");
            }
            return new GridConnection(client, embedded: false);
        }

        if (DarwinHost.IsListening(settings.GatewayPort))
            throw new InvalidOperationException(
                $"A silo already listens on localhost:{settings.GatewayPort}; connect to it with --cluster (two clusters must not share {settings.ResolvedDatabasePath}).");
        // A verb's own silo keeps quiet: its output is the verb's.
        var quiet = new Dictionary<string, string?>(overrides)
        {
            ["Logging:LogLevel:Default"] = "Error",
            ["Logging:LogLevel:DarwinGrid"] = "Warning",
            // Nothing can reach a verb's own silo from outside, so it collects no dashboard statistics.
            ["DarwinGrid:Web:OrleansDashboard"] = "false",
        };
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

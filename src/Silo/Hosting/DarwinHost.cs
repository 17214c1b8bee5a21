using System.Net;
using System.Net.Sockets;
using DarwinGrid.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Dashboard;

namespace DarwinGrid.Silo.Hosting;

/// <summary>
/// Builds the generic hosts of the CLI: a silo (localhost or Redis membership, SQLite or PostgreSQL
/// grain state and results, the DarwinGrid grains; see <see cref="ClusterHosting"/>) or a client of
/// a running cluster. Extra configuration sources
/// (tests, <c>--set</c>) go over appsettings.json and the environment.
/// </summary>
public static class DarwinHost
{
    /// <summary>
    /// Extensions of the silo host (tests add services here). Each runs on the builder before it is built.
    /// </summary>
    public delegate void SiloHostExtension(IHostApplicationBuilder builder, DarwinGridSettings settings);

    public static DarwinGridSettings ReadSettings(IReadOnlyDictionary<string, string?>? overrides = null) =>
        DarwinGridSettings.From(Configuration(overrides));

    /// <summary>
    /// A silo host; with <c>DarwinGrid:Urls</c> set, a web host that also serves the dashboard.
    /// <paramref name="ports"/> overrides the configured (silo, gateway) ports, e.g. free ones for an embedded silo.
    /// </summary>
    public static IHost CreateSilo(IReadOnlyDictionary<string, string?>? overrides = null, (int Silo, int Gateway)? ports = null,
        IEnumerable<SiloHostExtension>? extensions = null)
    {
        // Which host to build (web or generic) depends on a setting, so that one key is read before any builder exists.
        var urls = Configuration(overrides)[$"{DarwinGridSettings.SectionName}:{nameof(DarwinGridSettings.Urls)}"];
        if (urls is { Length: > 0 })
        {
            var web = WebApplication.CreateBuilder(WebOptions());
            var settings = ConfigureSilo(web, overrides, ports, extensions);
            web.WebHost.UseUrls(urls);
            web.AddDarwinGridWeb(o => o.StateDirectory = settings.ResolvedHome);
            var app = web.Build();
            app.MapDarwinGridWeb();
            return app;
        }
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory, Args = [] });
        ConfigureSilo(builder, overrides, ports, extensions);
        return builder.Build();
    }

    private static DarwinGridSettings ConfigureSilo(IHostApplicationBuilder builder, IReadOnlyDictionary<string, string?>? overrides, (int Silo, int Gateway)? ports,
        IEnumerable<SiloHostExtension>? extensions)
    {
        AddConfiguration(builder.Configuration, overrides);
        var settings = builder.AddDarwinGridSilo(ports);
        foreach (var extension in extensions ?? [])
            extension(builder, settings);
        return settings;
    }

    /// <summary>A client of the cluster: the localhost gateway at the configured port, or the gateways listed in Redis.</summary>
    public static IHost CreateClient(IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory, Args = [] });
        AddConfiguration(builder.Configuration, overrides);
        ConfigureClient(builder, _ => { });
        builder.Services.AddSingleton<IHostLifetime, CommandLineLifetime>();
        return builder.Build();
    }

    /// <summary>
    /// The dashboard and REST API as an Orleans client of a running silo or cluster (<c>darwin web</c>),
    /// listening at <c>DarwinGrid:Urls</c>.
    /// </summary>
    /// <param name="services">Extra services (tests), registered before the web app's own.</param>
    public static WebApplication CreateWebClient(IReadOnlyDictionary<string, string?>? overrides = null, Action<IServiceCollection>? services = null)
    {
        var web = WebApplication.CreateBuilder(WebOptions());
        AddConfiguration(web.Configuration, overrides);
        var settings = ConfigureClient(web, client =>
        {
            if (OrleansDashboardEnabled(web.Configuration))
                client.AddDashboard();
        });
        if (settings.Urls is not { Length: > 0 } urls)
            throw new InvalidOperationException("The web client needs DarwinGrid:Urls (darwin web --urls http://127.0.0.1:5080).");
        web.WebHost.UseUrls(urls);
        services?.Invoke(web.Services);
        web.AddDarwinGridWeb(o => o.StateDirectory = settings.ResolvedHome);
        web.Services.AddSingleton<IHostLifetime, CommandLineLifetime>();
        var app = web.Build();
        app.MapDarwinGridWeb();
        return app;
    }

    /// <summary>
    /// The one place an Orleans client is configured (CLI verbs with --cluster, <c>darwin web</c>): the
    /// clustering the settings name (the localhost gateway, or the gateways Redis lists) plus what the caller adds.
    /// </summary>
    public static DarwinGridSettings ConfigureClient(IHostApplicationBuilder builder, Action<IClientBuilder> configure)
    {
        var settings = DarwinGridSettings.From(builder.Configuration);
        if (settings.Cluster.Mode == ClusterMode.Redis)
            ClusterHosting.RedisOptions(settings.Cluster.Redis ?? throw new ArgumentException(
                "DarwinGrid:Cluster:Mode is Redis but DarwinGrid:Cluster:Redis (the Redis connection string) is not set."));
        builder.UseOrleansClient(client =>
        {
            ClusterHosting.ConfigureClient(client, settings);
            configure(client);
        });
        return settings;
    }

    /// <summary><c>DarwinGrid:Web:OrleansDashboard</c> (default true): silos feed, and web hosts mount, the Orleans dashboard.</summary>
    public static bool OrleansDashboardEnabled(IConfiguration configuration) =>
        !string.Equals(configuration[$"{DarwinGridWebOptions.SectionName}:{nameof(DarwinGridWebOptions.OrleansDashboard)}"], "false", StringComparison.OrdinalIgnoreCase);

    // The application is darwin wherever it runs (a test process too): its static web assets
    // manifest, darwin.staticwebassets.*.json, is what MapStaticAssets and UseStaticWebAssets read.
    private static WebApplicationOptions WebOptions() => new()
    {
        ApplicationName = typeof(DarwinHost).Assembly.GetName().Name,
        ContentRootPath = AppContext.BaseDirectory,
        Args = [],
    };

    /// <summary>Whether something listens on the gateway port (a running <c>darwin serve</c>).</summary>
    public static bool IsListening(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            return socket.ConnectAsync(IPAddress.Loopback, port).Wait(TimeSpan.FromMilliseconds(300));
        }
        catch (AggregateException)
        {
            return false;
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static IConfiguration Configuration(IReadOnlyDictionary<string, string?>? overrides)
    {
        var configuration = new ConfigurationManager();
        configuration.SetBasePath(AppContext.BaseDirectory);
        configuration.AddJsonFile("appsettings.json", optional: true);
        configuration.AddEnvironmentVariables();
        AddConfiguration(configuration, overrides);
        return configuration;
    }

    private static void AddConfiguration(IConfigurationManager configuration, IReadOnlyDictionary<string, string?>? overrides)
    {
        if (overrides is { Count: > 0 })
            configuration.AddInMemoryCollection(overrides);
    }
}

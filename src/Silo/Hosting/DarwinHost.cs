using System.Net;
using System.Net.Sockets;
using DarwinGrid.Grains.Hosting;
using DarwinGrid.Grains.Models;
using DarwinGrid.Grains.Placement;
using DarwinGrid.Grains.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

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
    /// Extensions of the silo host: the dashboard will add its web app here (co-hosted with the
    /// silo in one process, <c>darwin serve --urls</c>). Each runs on the builder before it is built.
    /// </summary>
    public delegate void SiloHostExtension(HostApplicationBuilder builder, DarwinGridSettings settings);

    public static DarwinGridSettings ReadSettings(IReadOnlyDictionary<string, string?>? overrides = null) =>
        Configuration(overrides).GetSection(DarwinGridSettings.SectionName).Get<DarwinGridSettings>() ?? new DarwinGridSettings();

    /// <summary>A silo host. <paramref name="ports"/> overrides the configured (silo, gateway) ports, e.g. free ones for an embedded silo.</summary>
    public static IHost CreateSilo(IReadOnlyDictionary<string, string?>? overrides = null, (int Silo, int Gateway)? ports = null,
        IEnumerable<SiloHostExtension>? extensions = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory, Args = [] });
        AddConfiguration(builder.Configuration, overrides);
        var settings = builder.Configuration.GetSection(DarwinGridSettings.SectionName).Get<DarwinGridSettings>() ?? new DarwinGridSettings();
        if (ports is { } p)
        {
            settings.SiloPort = p.Silo;
            settings.GatewayPort = p.Gateway;
        }
        ClusterHosting.Validate(settings);
        var profile = SiloProfile.Resolve(settings.Silo.Role, settings.Devices);
        var database = settings.ResolvedDatabasePath;
        if (settings.Storage.Provider == StorageProvider.Sqlite)
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(database))!);
        Directory.CreateDirectory(settings.ResolvedModelStore);

        builder.UseOrleans(silo =>
        {
            ClusterHosting.ConfigureMembership(silo, settings, settings.SiloPort, settings.GatewayPort, profile.Metadata());
            ClusterHosting.ConfigureStorage(silo, settings, database);
            silo.Configure<SiloOptions>(o => o.SiloName = settings.ResolvedSiloName)
                .AddDarwinGridGrains(o =>
                {
                    o.Devices = [.. profile.Devices];
                    o.DataDirectory = settings.DataDir;
                    o.ModelStoreDirectory = settings.ResolvedModelStore;
                    o.Engine = settings.Engine;
                    o.Screening = settings.Screening;
                    if (File.Exists(settings.DarwinMiniPath))
                        o.StartupModels = [new StartupModel(new ModelVersionInfo("darwin-mini", settings.DarwinMiniPath, [], "darwin", [], DateTimeOffset.UtcNow,
                            Description: "darwin-mini from the model store"), MakeDefault: true)];
                });
        });
        builder.Services.AddSingleton<IHostLifetime, CommandLineLifetime>();
        foreach (var extension in extensions ?? [])
            extension(builder, settings);
        return builder.Build();
    }

    /// <summary>A client of the cluster: the localhost gateway at the configured port, or the gateways listed in Redis.</summary>
    public static IHost CreateClient(IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory, Args = [] });
        AddConfiguration(builder.Configuration, overrides);
        var settings = builder.Configuration.GetSection(DarwinGridSettings.SectionName).Get<DarwinGridSettings>() ?? new DarwinGridSettings();
        if (settings.Cluster.Mode == ClusterMode.Redis)
            ClusterHosting.RedisOptions(settings.Cluster.Redis ?? throw new ArgumentException(
                "DarwinGrid:Cluster:Mode is Redis but DarwinGrid:Cluster:Redis (the Redis connection string) is not set."));
        builder.UseOrleansClient(client => ClusterHosting.ConfigureClient(client, settings));
        builder.Services.AddSingleton<IHostLifetime, CommandLineLifetime>();
        return builder.Build();
    }

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

using DarwinGrid.Domain.Files;
using DarwinGrid.Grains.Hosting;
using DarwinGrid.Grains.Models;
using DarwinGrid.Grains.Placement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Dashboard;

namespace DarwinGrid.Silo.Hosting;

/// <summary>
/// The one extension a DarwinGrid silo host calls (as eShop's <c>AddApplicationServices</c>): the
/// <c>DarwinGrid</c> settings read once from the builder's configuration and checked, the folders,
/// Orleans (membership, TLS, storage) and the grains, whose options bind themselves from the same
/// section and are validated when the host starts.
/// </summary>
public static class DarwinGridSiloHosting
{
    /// <param name="ports">Overrides the configured (silo, gateway) ports, e.g. free ones for an embedded silo.</param>
    /// <returns>The settings the silo was built with.</returns>
    /// <exception cref="ArgumentException">A setting is missing, malformed or contradicts another (the message names its key).</exception>
    public static DarwinGridSettings AddDarwinGridSilo(this IHostApplicationBuilder builder, (int Silo, int Gateway)? ports = null)
    {
        // Membership, endpoints and storage are wired when the silo is built: they need the settings now, not as options.
        var settings = DarwinGridSettings.From(builder.Configuration);
        if (ports is { } p)
            (settings.SiloPort, settings.GatewayPort) = p;
        ClusterHosting.Validate(settings);
        var profile = SiloProfile.Resolve(settings.Silo.Role, settings.Devices);
        CreateFolders(settings);

        builder.UseOrleans(silo =>
        {
            ClusterHosting.ConfigureMembership(silo, settings, settings.SiloPort, settings.GatewayPort);
            ClusterHosting.ConfigureTls(silo, settings);
            ClusterHosting.ConfigureStorage(silo, settings, settings.ResolvedDatabasePath);
            silo.Configure<SiloOptions>(o => o.SiloName = settings.ResolvedSiloName)
                // Engine, screening and training options bind from DarwinGrid:*; only what the host works out is set here.
                .AddDarwinGridGrains(o =>
                {
                    o.Devices = [.. profile.Devices];
                    o.SiloMetadata = profile.Metadata();
                    o.DataDirectory = settings.DataDir;
                    o.ModelStoreDirectory = settings.ResolvedModelStore;
                    if (File.Exists(settings.DarwinMiniPath))
                        o.StartupModels = [new StartupModel(new ModelVersionInfo("darwin-mini", settings.DarwinMiniPath, [], "darwin", [], DateTimeOffset.UtcNow,
                            Description: "darwin-mini from the model store"), MakeDefault: true)];
                });
            // Every silo feeds the Orleans dashboard, so a web host (co-hosted or a client) can show it.
            if (DarwinHost.OrleansDashboardEnabled(builder.Configuration))
                silo.AddDashboard();
        });
        builder.Services.AddSingleton<IHostLifetime, CommandLineLifetime>();
        return settings;
    }

    // The home, database and model folders hold data, keys and hashes: the owner's alone (700).
    private static void CreateFolders(DarwinGridSettings settings)
    {
        PrivateFiles.CreateDirectory(settings.ResolvedHome);
        if (settings.Storage.Provider == StorageProvider.Sqlite)
            PrivateFiles.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(settings.ResolvedDatabasePath))!);
        PrivateFiles.CreateDirectory(settings.ResolvedModelStore);
    }
}

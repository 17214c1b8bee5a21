using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Providers;
using Orleans.Runtime.Hosting;

namespace DarwinGrid.Grains.Storage;

/// <summary>Registers the PostgreSQL grain storage provider and the results store (clusters; see docs/storage.md).</summary>
public static class PostgreSqlStorageHostingExtensions
{
    /// <summary>Adds a PostgreSQL grain storage provider named <paramref name="name"/>.</summary>
    public static ISiloBuilder AddPostgreSqlGrainStorage(this ISiloBuilder builder, string name, Action<PostgreSqlStorageOptions> configure) =>
        builder.ConfigureServices(services => services.AddPostgreSqlGrainStorage(name, configure));

    /// <summary>Adds a PostgreSQL grain storage provider as the default one (grains that name no provider).</summary>
    public static ISiloBuilder AddPostgreSqlGrainStorageAsDefault(this ISiloBuilder builder, Action<PostgreSqlStorageOptions> configure) =>
        builder.AddPostgreSqlGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, configure);

    /// <summary>Adds the PostgreSQL <see cref="IResultStore"/> as a singleton.</summary>
    public static ISiloBuilder AddPostgreSqlResultStore(this ISiloBuilder builder, Action<PostgreSqlResultStoreOptions> configure) =>
        builder.ConfigureServices(services => services.AddPostgreSqlResultStore(configure));

    public static IServiceCollection AddPostgreSqlGrainStorage(this IServiceCollection services, string name, Action<PostgreSqlStorageOptions> configure)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<PostgreSqlStorageOptions>(name).Configure(configure);
        services.AddTransient<IConfigurationValidator>(sp =>
            new OptionsValidator(sp.GetRequiredService<IOptionsMonitor<PostgreSqlStorageOptions>>().Get(name), $"grain storage '{name}'"));
        return services.AddGrainStorage(name, (sp, providerName) => new PostgreSqlGrainStorage(
            providerName,
            sp.GetRequiredService<IOptionsMonitor<PostgreSqlStorageOptions>>().Get(providerName),
            sp.GetRequiredService<ILogger<PostgreSqlGrainStorage>>()));
    }

    public static IServiceCollection AddPostgreSqlResultStore(this IServiceCollection services, Action<PostgreSqlResultStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<PostgreSqlResultStoreOptions>().Configure(configure);
        services.AddTransient<IConfigurationValidator>(sp =>
            new OptionsValidator(sp.GetRequiredService<IOptions<PostgreSqlResultStoreOptions>>().Value, "results store"));
        services.AddSingleton<IResultStore>(sp => new PostgreSqlResultStore(
            sp.GetRequiredService<IOptions<PostgreSqlResultStoreOptions>>().Value,
            sp.GetRequiredService<ILogger<PostgreSqlResultStore>>()));
        return services;
    }

    /// <summary>Fails silo start with a message naming the misconfigured store.</summary>
    private sealed class OptionsValidator(PostgreSqlConnectionOptions options, string what) : IConfigurationValidator
    {
        public void ValidateConfiguration()
        {
            try
            {
                options.BuildConnectionString();
            }
            catch (InvalidOperationException e)
            {
                throw new OrleansConfigurationException($"PostgreSQL {what}: {e.Message}", e);
            }
        }
    }
}

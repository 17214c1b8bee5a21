using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Providers;
using Orleans.Runtime.Hosting;

namespace DarwinGrid.Grains.Storage;

/// <summary>Registers the SQLite grain storage provider and the results store.</summary>
public static class SqliteStorageHostingExtensions
{
    /// <summary>Adds a SQLite grain storage provider named <paramref name="name"/> (use it with <c>[PersistentState("x", name)]</c>).</summary>
    public static ISiloBuilder AddSqliteGrainStorage(this ISiloBuilder builder, string name, Action<SqliteStorageOptions> configure) =>
        builder.ConfigureServices(services => services.AddSqliteGrainStorage(name, configure));

    /// <summary>Adds a SQLite grain storage provider as the default one (grains that name no provider).</summary>
    public static ISiloBuilder AddSqliteGrainStorageAsDefault(this ISiloBuilder builder, Action<SqliteStorageOptions> configure) =>
        builder.AddSqliteGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, configure);

    /// <summary>Adds the SQLite <see cref="IResultStore"/> as a singleton.</summary>
    public static ISiloBuilder AddSqliteResultStore(this ISiloBuilder builder, Action<SqliteResultStoreOptions> configure) =>
        builder.ConfigureServices(services => services.AddSqliteResultStore(configure));

    public static IServiceCollection AddSqliteGrainStorage(this IServiceCollection services, string name, Action<SqliteStorageOptions> configure)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<SqliteStorageOptions>(name).Configure(configure);
        services.AddTransient<IConfigurationValidator>(sp =>
            new SqliteOptionsValidator(sp.GetRequiredService<IOptionsMonitor<SqliteStorageOptions>>().Get(name), $"grain storage '{name}'"));
        return services.AddGrainStorage(name, (sp, providerName) => new SqliteGrainStorage(
            providerName,
            sp.GetRequiredService<IOptionsMonitor<SqliteStorageOptions>>().Get(providerName),
            sp.GetRequiredService<ILogger<SqliteGrainStorage>>()));
    }

    public static IServiceCollection AddSqliteResultStore(this IServiceCollection services, Action<SqliteResultStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<SqliteResultStoreOptions>().Configure(configure);
        services.AddTransient<IConfigurationValidator>(sp =>
            new SqliteOptionsValidator(sp.GetRequiredService<IOptions<SqliteResultStoreOptions>>().Value, "results store"));
        services.AddSingleton<IResultStore>(sp => new SqliteResultStore(
            sp.GetRequiredService<IOptions<SqliteResultStoreOptions>>().Value,
            sp.GetRequiredService<ILogger<SqliteResultStore>>()));
        return services;
    }

    /// <summary>Fails silo start with a message naming the misconfigured store.</summary>
    private sealed class SqliteOptionsValidator(SqliteConnectionOptions options, string what) : IConfigurationValidator
    {
        public void ValidateConfiguration()
        {
            try
            {
                options.BuildConnectionString();
            }
            catch (InvalidOperationException e)
            {
                throw new OrleansConfigurationException($"SQLite {what}: {e.Message}", e);
            }
        }
    }
}

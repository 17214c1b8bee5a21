using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Providers;
using Orleans.Runtime.Hosting;

namespace DarwinGrid.Grains.Storage;

/// <summary>
/// Registers the grain storage providers and the results store, on SQLite (embedded) or PostgreSQL
/// (clusters): one registration per kind, parameterised by the vendor's options and constructor.
/// </summary>
public static class StorageHostingExtensions
{
    /// <summary>Adds a SQLite grain storage provider named <paramref name="name"/> (use it with <c>[PersistentState("x", name)]</c>).</summary>
    public static ISiloBuilder AddSqliteGrainStorage(this ISiloBuilder builder, string name, Action<SqliteStorageOptions> configure) =>
        builder.ConfigureServices(services => services.AddSqliteGrainStorage(name, configure));

    /// <summary>Adds a PostgreSQL grain storage provider named <paramref name="name"/>.</summary>
    public static ISiloBuilder AddPostgreSqlGrainStorage(this ISiloBuilder builder, string name, Action<PostgreSqlStorageOptions> configure) =>
        builder.ConfigureServices(services => services.AddPostgreSqlGrainStorage(name, configure));

    /// <summary>Adds a SQLite grain storage provider as the default one (grains that name no provider).</summary>
    public static ISiloBuilder AddSqliteGrainStorageAsDefault(this ISiloBuilder builder, Action<SqliteStorageOptions> configure) =>
        builder.AddSqliteGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, configure);

    /// <summary>Adds a PostgreSQL grain storage provider as the default one (grains that name no provider).</summary>
    public static ISiloBuilder AddPostgreSqlGrainStorageAsDefault(this ISiloBuilder builder, Action<PostgreSqlStorageOptions> configure) =>
        builder.AddPostgreSqlGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, configure);

    /// <summary>Adds the SQLite <see cref="IResultStore"/> as a singleton.</summary>
    public static ISiloBuilder AddSqliteResultStore(this ISiloBuilder builder, Action<SqliteResultStoreOptions> configure) =>
        builder.ConfigureServices(services => services.AddSqliteResultStore(configure));

    /// <summary>Adds the PostgreSQL <see cref="IResultStore"/> as a singleton.</summary>
    public static ISiloBuilder AddPostgreSqlResultStore(this ISiloBuilder builder, Action<PostgreSqlResultStoreOptions> configure) =>
        builder.ConfigureServices(services => services.AddPostgreSqlResultStore(configure));

    public static IServiceCollection AddSqliteGrainStorage(this IServiceCollection services, string name, Action<SqliteStorageOptions> configure) =>
        services.AddSqlGrainStorage(name, configure, "SQLite", options => options.BuildConnectionString(),
            (sp, providerName, options) => new SqliteGrainStorage(providerName, options, sp.GetRequiredService<ILogger<SqliteGrainStorage>>()));

    public static IServiceCollection AddPostgreSqlGrainStorage(this IServiceCollection services, string name, Action<PostgreSqlStorageOptions> configure) =>
        services.AddSqlGrainStorage(name, configure, "PostgreSQL", options => options.BuildConnectionString(),
            (sp, providerName, options) => new PostgreSqlGrainStorage(providerName, options, sp.GetRequiredService<ILogger<PostgreSqlGrainStorage>>()));

    public static IServiceCollection AddSqliteResultStore(this IServiceCollection services, Action<SqliteResultStoreOptions> configure) =>
        services.AddSqlResultStore(configure, "SQLite", options => options.BuildConnectionString(),
            (sp, options) => new SqliteResultStore(options, sp.GetRequiredService<ILogger<SqliteResultStore>>()));

    public static IServiceCollection AddPostgreSqlResultStore(this IServiceCollection services, Action<PostgreSqlResultStoreOptions> configure) =>
        services.AddSqlResultStore(configure, "PostgreSQL", options => options.BuildConnectionString(),
            (sp, options) => new PostgreSqlResultStore(options, sp.GetRequiredService<ILogger<PostgreSqlResultStore>>()));

    private static IServiceCollection AddSqlGrainStorage<TOptions>(this IServiceCollection services, string name, Action<TOptions> configure,
        string vendor, Func<TOptions, string> check, Func<IServiceProvider, string, TOptions, SqlGrainStorage> create) where TOptions : class
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<TOptions>(name).Configure(configure);
        services.AddTransient<IConfigurationValidator>(sp =>
            new OptionsValidator(() => check(sp.GetRequiredService<IOptionsMonitor<TOptions>>().Get(name)), $"{vendor} grain storage '{name}'"));
        // Typed as SqlGrainStorage so Orleans registers it as a silo lifecycle participant (schema at start).
        return services.AddGrainStorage(name, (sp, providerName) => create(sp, providerName, sp.GetRequiredService<IOptionsMonitor<TOptions>>().Get(providerName)));
    }

    private static IServiceCollection AddSqlResultStore<TOptions>(this IServiceCollection services, Action<TOptions> configure,
        string vendor, Func<TOptions, string> check, Func<IServiceProvider, TOptions, IResultStore> create) where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<TOptions>().Configure(configure);
        services.AddTransient<IConfigurationValidator>(sp =>
            new OptionsValidator(() => check(sp.GetRequiredService<IOptions<TOptions>>().Value), $"{vendor} results store"));
        services.AddSingleton(sp => create(sp, sp.GetRequiredService<IOptions<TOptions>>().Value));
        return services;
    }

    /// <summary>Fails silo start with a message naming the misconfigured store.</summary>
    private sealed class OptionsValidator(Func<string> buildConnectionString, string what) : IConfigurationValidator
    {
        public void ValidateConfiguration()
        {
            try
            {
                buildConnectionString();
            }
            catch (InvalidOperationException e)
            {
                throw new OrleansConfigurationException($"{what}: {e.Message}", e);
            }
        }
    }
}

using DarwinGrid.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Storage;

namespace DarwinGrid.Grains.Tests.Storage;

public sealed class SqliteStorageRegistrationTests
{
    [Fact]
    public void NamedAndDefaultProvidersAndTheResultsStoreResolve()
    {
        using var database = new TempDatabase();
        var services = new ServiceCollection().AddLogging();
        services.AddSqliteGrainStorage("campaigns", o => o.DatabasePath = database.FilePath);
        services.AddSqliteGrainStorage(Orleans.Providers.ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, o => o.DatabasePath = database.FilePath);
        services.AddSqliteResultStore(o => o.DatabasePath = database.FilePath);
        using var provider = services.BuildServiceProvider();

        var named = Assert.IsType<SqliteGrainStorage>(provider.GetRequiredKeyedService<IGrainStorage>("campaigns"));
        Assert.Equal("campaigns", named.Name);
        Assert.IsType<SqliteGrainStorage>(provider.GetRequiredService<IGrainStorage>());
        Assert.IsType<SqliteResultStore>(provider.GetRequiredService<IResultStore>());
        Assert.Equal(2, provider.GetServices<ILifecycleParticipant<ISiloLifecycle>>().Count());
        foreach (var validator in provider.GetServices<IConfigurationValidator>())
            validator.ValidateConfiguration();
    }

    [Fact]
    public void AStoreWithoutADatabaseFailsValidationNamingIt()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSqliteGrainStorage("campaigns", _ => { });
        using var provider = services.BuildServiceProvider();
        var error = Assert.Throws<OrleansConfigurationException>(() =>
        {
            foreach (var validator in provider.GetServices<IConfigurationValidator>())
                validator.ValidateConfiguration();
        });
        Assert.Contains("'campaigns'", error.Message);
        Assert.Contains("DatabasePath", error.Message);
    }
}

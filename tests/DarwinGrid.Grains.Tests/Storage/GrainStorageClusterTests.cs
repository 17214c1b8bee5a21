using DarwinGrid.Grains.Storage;
using Orleans.TestingHost;

namespace DarwinGrid.Grains.Tests.Storage;

/// <summary>The SQLite providers registered in a real (in-process) Orleans cluster.</summary>
public sealed class GrainStorageClusterTests : IDisposable
{
    public const string ProviderName = "sqlite";

    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private InProcessTestCluster BuildCluster(short silos)
    {
        var builder = new InProcessTestClusterBuilder(silos);
        builder.ConfigureSilo((_, silo) => silo
            .AddSqliteGrainStorage(ProviderName, o => o.DatabasePath = _database.FilePath)
            .AddSqliteGrainStorageAsDefault(o => o.DatabasePath = _database.FilePath)
            .AddSqliteResultStore(o => o.DatabasePath = _database.FilePath));
        return builder.Build();
    }

    [Fact]
    public async Task StateSurvivesAKilledSiloAndAWholeClusterRestart()
    {
        await using (var cluster = BuildCluster(2))
        {
            await cluster.DeployAsync();
            var grain = cluster.Client.GetGrain<IPersistentCounterGrain>("campaign-1");
            await grain.IncrementAsync();
            var (count, host) = await grain.IncrementAsync();
            Assert.Equal(2, count);

            var hosting = cluster.Silos.Single(s => s.SiloAddress.ToString() == host);
            await cluster.KillSiloAsync(hosting);

            // The activation died with its silo; the next call reactivates it on the survivor from SQLite.
            var (afterKill, newHost) = await RetryAsync(() => grain.IncrementAsync());
            Assert.Equal(3, afterKill);
            Assert.NotEqual(host, newHost);
        }

        await using (var restarted = BuildCluster(1))
        {
            await restarted.DeployAsync();
            var grain = restarted.Client.GetGrain<IPersistentCounterGrain>("campaign-1");
            var (count, silos) = await grain.GetAsync();
            Assert.Equal(3, count);
            Assert.Equal(3, silos.Count);
            Assert.Equal(2, silos.Distinct().Count());
        }

        var store = new SqliteResultStore(new SqliteResultStoreOptions { DatabasePath = _database.FilePath });
        Assert.Equal(3, await store.CountCandidatesAsync("campaign-1"));
    }

    private static async Task<T> RetryAsync<T>(Func<Task<T>> call)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                return await call().WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (Exception e) when (DateTime.UtcNow < deadline && e is OrleansMessageRejectionException or SiloUnavailableException or TimeoutException)
            {
                await Task.Delay(100);
            }
        }
    }
}

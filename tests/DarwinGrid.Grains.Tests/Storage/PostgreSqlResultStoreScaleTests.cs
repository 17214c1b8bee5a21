using System.Diagnostics;
using DarwinGrid.Grains.Models;
using DarwinGrid.Grains.Storage;
using DarwinGrid.TestSupport;
using DarwinGrid.TestSupport.Servers;
using Xunit.Abstractions;

namespace DarwinGrid.Grains.Tests.Storage;

/// <summary>
/// Write rates of the PostgreSQL results store on a durable server (fsync on, synchronous commit):
/// one writer at several batch sizes, and several writers at once as silos are. Slow; run with
/// <c>--filter Category=Slow</c>.
/// </summary>
[Trait("Category", TestCategories.Slow)]
[RequiresServers(ExternalServer.PostgreSql)]
public sealed class PostgreSqlResultStoreScaleTests(ITestOutputHelper output) : IAsyncLifetime
{
    private PostgresServer? _server;

    public async Task InitializeAsync()
    {
        if (PostgresServer.MissingReason is null)
            _server = await PostgresServer.StartAsync(durable: true);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
    }

    private static ResultRow Row(long i, string task = "band_gap") =>
        new(i, new Prediction(task, "v1", (i * 7919 % 4000) / 1000.0, null, null, " 1.51", Spread: 0.05), Cached: i % 5 == 0);

    [ServerTheory]
    [InlineData(100)]
    [InlineData(1000)]
    [InlineData(5000)]
    public async Task MeasureBatchedResultUpsertRate(int batch)
    {
        var store = new PostgreSqlResultStore(new PostgreSqlResultStoreOptions { ConnectionString = await _server!.CreateDatabaseAsync(), WriteBatchSize = batch });
        await store.InitializeAsync();
        const int rows = 200_000;
        var data = Enumerable.Range(0, rows).Select(i => Row(i)).ToArray();

        output.WriteLine(await UpsertRate.MeasureAsync(store, data, batch));
    }

    [ServerFact]
    public async Task MeasureConcurrentWriters()
    {
        var connection = await _server!.CreateDatabaseAsync();
        const int writers = 4, perWriter = 100_000, batch = 1000;
        var stores = Enumerable.Range(0, writers).Select(_ => new PostgreSqlResultStore(new PostgreSqlResultStoreOptions { ConnectionString = connection, WriteBatchSize = batch })).ToList();
        await stores[0].InitializeAsync();

        // Each writer its own task (disjoint keys, as task grains of one campaign write), then all of them the same keys (retries racing).
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(stores.Select((store, w) => Task.Run(async () =>
        {
            foreach (var chunk in Enumerable.Range(0, perWriter).Select(i => Row(i, $"task{w}")).Chunk(batch))
                await store.UpsertResultsAsync("concurrent", chunk);
        })));
        var disjoint = watch.Elapsed;
        watch.Restart();
        await Task.WhenAll(stores.Select(store => Task.Run(async () =>
        {
            foreach (var chunk in Enumerable.Range(0, perWriter).Select(i => Row(i, "task0")).Chunk(batch))
                await store.UpsertResultsAsync("concurrent", chunk);
        })));
        var overlapping = watch.Elapsed;

        Assert.Equal(writers * perWriter, await stores[0].CountResultRowsAsync("concurrent"));
        Assert.Empty(await stores[0].FindDuplicateResultKeysAsync("concurrent"));
        output.WriteLine($"{writers} writers, batch {batch}: disjoint keys {writers * perWriter / disjoint.TotalSeconds:N0} rows/s ({disjoint.TotalSeconds:F2} s), " +
                         $"same keys {writers * perWriter / overlapping.TotalSeconds:N0} rows/s ({overlapping.TotalSeconds:F2} s)");
    }
}

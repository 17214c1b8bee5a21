using System.Collections.Immutable;
using DarwinGrid.Grains.Campaigns;
using DarwinGrid.Grains.Hosting;
using DarwinGrid.Grains.Models;
using DarwinGrid.Grains.Storage;
using DarwinGrid.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Providers;
using Orleans.Storage;
using Orleans.TestingHost;

namespace DarwinGrid.Grains.Tests.Screening;

/// <summary>
/// An in-process cluster with the DarwinGrid grains on real SQLite (or, given a connection string, on
/// PostgreSQL as a multi-silo deployment runs) and the tiny model registered as
/// the default version at silo start; short intervals so failures are noticed within a second.
/// With a <see cref="StateWriteGate"/>, grain-state writes pass through it.
/// </summary>
public sealed class ScreeningCluster : IAsyncDisposable
{
    public const string Version = "tiny-v1";

    private ScreeningCluster(InProcessTestCluster cluster, string databasePath, ModelCallCounter counter, string? postgres)
    {
        Cluster = cluster;
        DatabasePath = databasePath;
        Counter = counter;
        Store = postgres is null
            ? new SqliteResultStore(new SqliteResultStoreOptions { DatabasePath = databasePath })
            : new PostgreSqlResultStore(new PostgreSqlResultStoreOptions { ConnectionString = postgres });
    }

    public InProcessTestCluster Cluster { get; }
    public string DatabasePath { get; }
    public ModelCallCounter Counter { get; }
    public IResultStore Store { get; }
    public IClusterClient Client => Cluster.Client;

    /// <param name="databasePath">The SQLite file of grain state and results (unused with <paramref name="postgres"/>).</param>
    /// <param name="postgres">A PostgreSQL connection string: grain state and results go there instead.</param>
    public static async Task<ScreeningCluster> StartAsync(string databasePath, string modelPath, short silos = 1, ModelCallCounter? counter = null,
        Action<DarwinGridGrainOptions>? configure = null, StateWriteGate? writeGate = null, string? postgres = null)
    {
        if (writeGate is not null && postgres is not null)
            throw new ArgumentException("The state write gate wraps the SQLite grain storage; it does not combine with PostgreSQL.", nameof(writeGate));
        counter ??= new ModelCallCounter();
        var builder = new InProcessTestClusterBuilder(silos);
        builder.ConfigureSilo((_, silo) =>
        {
            if (postgres is null)
            {
                silo.AddSqliteGrainStorageAsDefault(o => o.DatabasePath = databasePath)
                    .AddSqliteResultStore(o => o.DatabasePath = databasePath);
            }
            else
            {
                silo.AddPostgreSqlGrainStorageAsDefault(o => o.ConnectionString = postgres)
                    .AddPostgreSqlResultStore(o => o.ConnectionString = postgres);
            }
            silo.AddDarwinGridGrains(o =>
                {
                    o.Devices = ["cpu0"];
                    o.DataDirectory = SharedData.Root;
                    o.StartupModels = [new StartupModel(new ModelVersionInfo(Version, modelPath, [], "darwin", [], DateTimeOffset.UtcNow), MakeDefault: true)];
                    o.Engine.SeqMax = 16;
                    o.Engine.Threads = 1;
                    o.Engine.ContextSize = 4096;
                    o.Engine.MaxAnswerTokens = 6;
                    o.Screening.BatchSize = 50;
                    o.Screening.MaxBatchesInFlight = 4;
                    o.Screening.ProgressInterval = TimeSpan.FromMilliseconds(100);
                    o.Screening.CampaignCheckInterval = TimeSpan.FromMilliseconds(300);
                    o.Screening.KeeperInterval = TimeSpan.FromMilliseconds(300);
                    o.Screening.RetryDelay = TimeSpan.FromMilliseconds(100);
                    o.Screening.ModelCallTimeout = TimeSpan.FromSeconds(20);
                    configure?.Invoke(o);
                })
                .Configure<ClusterMembershipOptions>(FastFailover.Apply);
            silo.ConfigureServices(services => services.AddSingleton<IPropertyPredictorFactory>(sp =>
                new CountingPredictorFactory(ActivatorUtilities.CreateInstance<EnginePredictorFactory>(sp), counter)));
            if (writeGate is not null)
            {
                // Registered after the real provider, so grains get the gated one (same database).
                silo.ConfigureServices(services => services.AddKeyedSingleton<IGrainStorage>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, (sp, _) =>
                    new GatedGrainStorage(new SqliteGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, new SqliteStorageOptions { DatabasePath = databasePath },
                        sp.GetRequiredService<ILogger<SqliteGrainStorage>>()), writeGate)));
            }
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        var screening = new ScreeningCluster(cluster, databasePath, counter, postgres);
        await screening.WaitUntilServingAsync(silos);
        return screening;
    }

    public IModelRegistryGrain Registry => Client.GetGrain<IModelRegistryGrain>(IModelRegistryGrain.Key);

    public ICampaignGrain Campaign(string id) => Client.GetGrain<ICampaignGrain>(id);

    /// <summary>Waits until every silo has offered its device and the tiny model is the default.</summary>
    public async Task WaitUntilServingAsync(int silos) =>
        await Eventually.TrueAsync(async () =>
            (await Registry.GetServingKeysAsync(Version)).Length == silos && await Registry.GetDefaultAsync("band_gap") == Version,
            TimeSpan.FromSeconds(30), "the registry to list every silo's device and the default model");

    public static CampaignDefinition Definition(string name, IEnumerable<string> compositions, params string[] tasks) =>
        new(name, CandidateSource.FromList(compositions), [.. tasks.Length == 0 ? ["band_gap"] : tasks], [],
            new RankingSpec(RankingMode.WeightedScore, [new Objective(tasks.Length == 0 ? "band_gap" : tasks[0], ObjectiveGoal.Maximize)]));

    /// <summary>Watches the campaign until it finishes (or the timeout passes), retrying across silo failures.</summary>
    public async Task<CampaignStatus> WaitFinishedAsync(string id, TimeSpan timeout)
    {
        CampaignStatus? status = null;
        await Eventually.TrueAsync(async () =>
        {
            status = await Campaign(id).GetStatusAsync();
            return status.IsFinished;
        }, timeout, $"campaign {id} to finish");
        return status!;
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
    }
}

/// <summary>Polling helpers for conditions reached asynchronously; calls that fail during a silo outage count as "not yet".</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await condition().WaitAsync(TimeSpan.FromSeconds(15)))
                    return;
            }
            catch (Exception e) when (e is OrleansException or TimeoutException or SiloUnavailableException or OrleansMessageRejectionException)
            {
                last = e;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"Timed out after {timeout.TotalSeconds:F0} s waiting for {what}.", last);
    }

    public static ImmutableArray<string> Candidates(int count, int seed = 0) => CandidateSet.Create(count, seed);
}

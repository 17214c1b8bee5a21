using System.Collections.Immutable;
using DarwinGrid.Grains.Campaigns;
using DarwinGrid.Grains.Hosting;
using DarwinGrid.Grains.Models;
using DarwinGrid.Grains.Storage;
using DarwinGrid.TestSupport;
using Orleans.TestingHost;

namespace DarwinGrid.Web.UiTests.Support;

/// <summary>
/// One in-process silo for the view-model and component tests: the DarwinGrid grains on a fresh
/// SQLite file, the tiny model registered as the default, short timers so campaigns finish in seconds.
/// </summary>
public sealed class SiloFixture : IAsyncLifetime
{
    public const string Version = "tiny-v1";

    private readonly string _directory = Directory.CreateTempSubdirectory("webui-silo-").FullName;
    private InProcessTestCluster? _cluster;

    public string ModelPath => Path.Combine(_directory, "tiny.gguf");

    public IClusterClient Client => _cluster?.Client ?? throw new InvalidOperationException("The silo is not started.");

    public IModelRegistryGrain Registry => Client.GetGrain<IModelRegistryGrain>(IModelRegistryGrain.Key);

    public async Task InitializeAsync()
    {
        TinyModelFile.Write(ModelPath);
        var database = Path.Combine(_directory, "darwingrid.db");
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) => silo
            .AddSqliteGrainStorageAsDefault(o => o.DatabasePath = database)
            .AddSqliteResultStore(o => o.DatabasePath = database)
            .AddDarwinGridGrains(o =>
            {
                o.Devices = ["cpu0"];
                o.DataDirectory = SharedData.Root;
                o.StartupModels = [new StartupModel(new ModelVersionInfo(Version, ModelPath, [], "darwin", [], DateTimeOffset.UtcNow,
                    Description: "random 32x2 test model"), MakeDefault: true)];
                o.Engine.SeqMax = 16;
                o.Engine.Threads = 1;
                o.Engine.ContextSize = 4096;
                o.Engine.MaxAnswerTokens = 6;
                o.Screening.BatchSize = 25;
                o.Screening.MaxBatchesInFlight = 2;
                o.Screening.ProgressInterval = TimeSpan.FromMilliseconds(100);
                o.Screening.CampaignCheckInterval = TimeSpan.FromMilliseconds(300);
                o.Screening.KeeperInterval = TimeSpan.FromMilliseconds(300);
                o.ModelStoreDirectory = Path.Combine(_directory, "store");
                o.Training.ProgressInterval = TimeSpan.FromMilliseconds(100);
            }));
        _cluster = builder.Build();
        await _cluster.DeployAsync();
        await Eventually.ReachAsync(async () => (await Registry.GetServingKeysAsync(Version)).Length, n => n == 1, TimeSpan.FromSeconds(30), "the tiny model to be served");
    }

    /// <summary>Creates, fills and starts a campaign over <paramref name="compositions"/>; returns its id.</summary>
    public async Task<string> StartCampaignAsync(string name, ImmutableArray<string> compositions, RankingSpec ranking, ImmutableArray<PropertyFilter> filters = default,
        bool start = true, params string[] tasks)
    {
        var id = $"test-{Guid.NewGuid():N}";
        var campaign = Client.GetGrain<ICampaignGrain>(id);
        await campaign.CreateAsync(new CampaignDefinition(name, CandidateSource.FromList([]), [.. tasks], filters.IsDefault ? [] : filters, ranking));
        await campaign.AppendCandidatesAsync(compositions);
        if (start)
            await campaign.StartAsync();
        return id;
    }

    public Task<CampaignStatus> WaitFinishedAsync(string id) =>
        Eventually.ReachAsync(() => Client.GetGrain<ICampaignGrain>(id).GetStatusAsync(), s => s.IsFinished, TimeSpan.FromSeconds(90), $"campaign {id} to finish");

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
            await _cluster.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the file for a moment; the temp folder is cleaned by the OS.
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SiloCollection : ICollectionFixture<SiloFixture>
{
    public const string Name = "silo";
}

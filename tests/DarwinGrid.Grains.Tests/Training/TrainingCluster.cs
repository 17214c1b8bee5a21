using DarwinGrid.Grains.Campaigns;
using DarwinGrid.Grains.Hosting;
using DarwinGrid.Grains.Models;
using DarwinGrid.Grains.Storage;
using DarwinGrid.Grains.Tests.Screening;
using DarwinGrid.Grains.Training;
using DarwinGrid.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.TestingHost;

namespace DarwinGrid.Grains.Tests.Training;

/// <summary>
/// An in-process cluster with the DarwinGrid grains on real SQLite, a temp model store, the real
/// trainer behind a <see cref="TrainingGate"/>, and short intervals so a lost silo is noticed fast.
/// </summary>
public sealed class TrainingCluster : IAsyncDisposable
{
    private TrainingCluster(InProcessTestCluster cluster, string storeDirectory, TrainingGate gate)
    {
        Cluster = cluster;
        StoreDirectory = storeDirectory;
        Gate = gate;
    }

    public InProcessTestCluster Cluster { get; }
    public string StoreDirectory { get; }
    public TrainingGate Gate { get; }
    public IClusterClient Client => Cluster.Client;
    public IModelRegistryGrain Registry => Client.GetGrain<IModelRegistryGrain>(IModelRegistryGrain.Key);
    public ITrainingGrain Run(string id) => Client.GetGrain<ITrainingGrain>(id);

    /// <param name="canTrain">Whether the silo of this name may train; default all.</param>
    public static async Task<TrainingCluster> StartAsync(string databasePath, string storeDirectory, short silos = 1, Func<string, bool>? canTrain = null)
    {
        var gate = new TrainingGate();
        var builder = new InProcessTestClusterBuilder(silos);
        builder.ConfigureSilo((siloOptions, silo) =>
        {
            silo.AddSqliteGrainStorageAsDefault(o => o.DatabasePath = databasePath)
                .AddSqliteResultStore(o => o.DatabasePath = databasePath)
                .AddDarwinGridGrains(o =>
                {
                    o.Devices = ["cpu0"];
                    o.DataDirectory = SharedData.Root;
                    o.ModelStoreDirectory = storeDirectory;
                    o.Engine.SeqMax = 16;
                    o.Engine.Threads = 1;
                    o.Engine.MaxAnswerTokens = 6;
                    o.Screening.BatchSize = 16;
                    o.Screening.ProgressInterval = TimeSpan.FromMilliseconds(100);
                    o.Screening.CampaignCheckInterval = TimeSpan.FromMilliseconds(300);
                    o.Screening.KeeperInterval = TimeSpan.FromMilliseconds(300);
                    o.Training.CanTrain = canTrain?.Invoke(siloOptions.SiloName) ?? true;
                    o.Training.ProgressInterval = TimeSpan.FromMilliseconds(100);
                })
                .Configure<ClusterMembershipOptions>(FastFailover.Apply);
            silo.ConfigureServices(services => services.AddSingleton<ITrainingJobRunner>(sp =>
                new GatedTrainingRunner(ActivatorUtilities.CreateInstance<TrainerJobRunner>(sp), gate)));
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new TrainingCluster(cluster, storeDirectory, gate);
    }

    /// <summary>A short run of the tiny preset on the band-gap and metal tasks, scored on a few held-out records.</summary>
    public static TrainingJobSpec TinySpec(int maxSteps = 8, bool makeDefault = false) =>
        new("tiny", Tasks: ["band_gap", "is_metal"], MaxSteps: maxSteps, Threads: 1, Seed: 3, EvaluationLimit: 24, MakeDefault: makeDefault);

    /// <summary>Polls the run until it finishes (retrying across silo failures).</summary>
    public async Task<TrainingRunStatus> WaitFinishedAsync(string id, TimeSpan timeout)
    {
        TrainingRunStatus? status = null;
        await Eventually.TrueAsync(async () =>
        {
            status = await Run(id).GetStatusAsync();
            return status.IsFinished;
        }, timeout, $"training run {id} to finish");
        return status!;
    }

    public ICampaignGrain Campaign(string id) => Client.GetGrain<ICampaignGrain>(id);

    public async ValueTask DisposeAsync()
    {
        Gate.Release();
        await Cluster.DisposeAsync();
    }
}

using System.Collections.Immutable;
using System.Diagnostics;
using DarwinGrid.Domain.Candidates;
using DarwinGrid.Domain.Tasks;
using DarwinGrid.Grains.Campaigns;
using DarwinGrid.Grains.Materials;
using DarwinGrid.Grains.Models;
using DarwinGrid.Inference.Engine;
using DarwinGrid.Inference.Prediction;
using DarwinGrid.Silo.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Runtime;

namespace DarwinGrid.Silo.Benchmarks;

public sealed record ScreenBenchmarkSettings(
    string ModelPath, int Candidates, int Repeats, int ScaleCandidates, int Materials, int SeqMax, int Threads, int MaxTokens, int BatchSize, int BatchesInFlight, string? DataDir);

public sealed record ThroughputFigures(int Candidates, TimeSpan EngineElapsed, TimeSpan GrainElapsed)
{
    public double EnginePerSecond => Candidates / EngineElapsed.TotalSeconds;
    public double GrainPerSecond => Candidates / GrainElapsed.TotalSeconds;
    public double Ratio => GrainPerSecond / EnginePerSecond;
}

public sealed record ScaleFigures(int Candidates, TimeSpan Elapsed, IReadOnlyDictionary<string, int> Activations, long ManagedBytesBefore, long ManagedBytesAfter, long WorkingSetAfter);

public sealed record MaterialFigures(int Materials, int Activations, double BytesPerActivation);

/// <summary>
/// <c>darwin bench screen</c>: the same model and inputs through the engine alone and through the
/// whole grain path (campaign, task grain, model grain, results store), one after the other in one
/// process; then a large campaign for activations and memory, and material-grain activations.
/// </summary>
public sealed class ScreenBenchmark(ScreenBenchmarkSettings settings, Action<string> progress)
{
    private const string Version = "bench";
    private const string Task = "matbench_expt_gap";

    public static ImmutableArray<string> Compositions(int count, int skip = 0)
    {
        var spec = CandidateSpecParser.Parse("{A}{1-x}{B}{x}Ti{1-y}Zr{y}O3; A=Ba,Sr,Ca,Mg; B=Pb,Cd,Zn,Sn; x=0.01..0.99:0.01; y=0.01..0.99:0.01");
        var all = new CandidateGenerator(spec).Generate().Skip(skip).Take(count).Select(c => c.Composition.CanonicalFormula).ToImmutableArray();
        return all.Length == count ? all : throw new ArgumentException($"The benchmark's candidate space has fewer than {count + skip} compositions.");
    }

    /// <summary>
    /// Alternates the two paths <see cref="ScreenBenchmarkSettings.Repeats"/> times on fresh inputs
    /// (the grain path would otherwise be served from its cache) and keeps the median of each, so a
    /// burst of load from other work on the machine hits both rather than one.
    /// </summary>
    public async Task<ThroughputFigures> MeasureThroughputAsync(CancellationToken cancellationToken)
    {
        var warmUp = Compositions(64, skip: 150_000);
        await using var engine = InferenceEngine.Start(EngineOptions());
        var predictor = new PropertyPredictor(engine, new PredictionOptions { PromptFormat = "darwin", MaxNumericTokens = settings.MaxTokens });
        await predictor.PredictManyAsync(TaskCatalog.Get(Task), warmUp, cancellationToken);
        await using var grid = await StartGridAsync(cancellationToken);
        await RunCampaignAsync(grid.Client, "warm-up", CandidateSource.FromList(warmUp), cancellationToken);

        var engineRuns = new List<TimeSpan>();
        var grainRuns = new List<TimeSpan>();
        for (var run = 0; run < settings.Repeats; run++)
        {
            var inputs = Compositions(settings.Candidates, skip: run * settings.Candidates);
            engineRuns.Add(await EngineAloneAsync(predictor, inputs, cancellationToken));
            grainRuns.Add(await RunCampaignAsync(grid.Client, $"throughput-{run}", CandidateSource.FromList(inputs), cancellationToken));
            progress($"  run {run + 1}: engine alone {inputs.Length / engineRuns[^1].TotalSeconds:F1} candidates/s, grain path {inputs.Length / grainRuns[^1].TotalSeconds:F1} candidates/s");
        }
        return new ThroughputFigures(settings.Candidates, Median(engineRuns), Median(grainRuns));
    }

    private static TimeSpan Median(List<TimeSpan> runs) => runs.Order().ElementAt(runs.Count / 2);

    public async Task<(ScaleFigures Scale, MaterialFigures Materials)> MeasureScaleAsync(CancellationToken cancellationToken)
    {
        await using var grid = await StartGridAsync(cancellationToken);
        var client = grid.Client;
        await RunCampaignAsync(client, "warm-up", CandidateSource.FromList(Compositions(64, skip: 150_000)), cancellationToken);
        var before = ManagedBytes();
        var generator = GeneratorSpecConversion.FromDomain(CandidateSpecParser.Parse(
            $"{{A}}{{1-x}}{{B}}{{x}}Ti{{1-y}}Zr{{y}}O3; A=Ba,Sr,Ca,Mg; B=Pb,Cd,Zn,Sn; x=0.01..0.99:0.01; y=0.01..0.99:0.01; limit={settings.ScaleCandidates}"));
        var elapsed = await RunCampaignAsync(client, "scale", CandidateSource.FromGenerator(generator), cancellationToken);
        var activations = await ActivationsAsync(client);
        var after = ManagedBytes();
        var scale = new ScaleFigures(settings.ScaleCandidates, elapsed, activations, before, after, Environment.WorkingSet);

        // Material grains: activate many, measure what each costs while resident.
        var materials = Compositions(settings.Materials);
        var beforeMaterials = ManagedBytes();
        var started = Stopwatch.StartNew();
        foreach (var chunk in materials.Chunk(500))
            await System.Threading.Tasks.Task.WhenAll(chunk.Select(m => client.GetGrain<IMaterialGrain>(m).GetPredictionAsync(Task, Version)));
        var afterMaterials = ManagedBytes();
        var materialActivations = (await ActivationsAsync(client)).GetValueOrDefault(nameof(MaterialGrain));
        progress($"  {materialActivations} material activations in {started.Elapsed.TotalSeconds:F1} s");
        return (scale, new MaterialFigures(materials.Length, materialActivations,
            materialActivations == 0 ? 0 : (double)(afterMaterials - beforeMaterials) / materialActivations));
    }

    private async Task<TimeSpan> EngineAloneAsync(PropertyPredictor predictor, ImmutableArray<string> inputs, CancellationToken cancellationToken)
    {
        var task = TaskCatalog.Get(Task);
        var clock = Stopwatch.StartNew();
        // As many inputs in flight as the grain path keeps (batches x batch size), so both feed the engine alike.
        var window = settings.BatchSize * settings.BatchesInFlight;
        var pending = new Queue<Task<IReadOnlyList<PropertyPrediction>>>();
        foreach (var chunk in inputs.Chunk(settings.BatchSize))
        {
            if (pending.Count * settings.BatchSize >= window)
                await pending.Dequeue();
            pending.Enqueue(predictor.PredictManyAsync(task, chunk, cancellationToken));
        }
        while (pending.Count > 0)
            await pending.Dequeue();
        return clock.Elapsed;
    }

    private EngineOptions EngineOptions() => new()
    {
        ModelPath = settings.ModelPath,
        SeqMax = settings.SeqMax,
        ContextSize = 4096,
        Threads = settings.Threads,
        BatchThreads = settings.Threads,
        BatchSize = (uint)Math.Max(512, settings.SeqMax),
        UBatchSize = (uint)Math.Max(512, settings.SeqMax),
        QueueCapacity = 512,
    };

    private async Task<BenchGrid> StartGridAsync(CancellationToken cancellationToken)
    {
        var home = Directory.CreateTempSubdirectory("darwin-bench-screen-").FullName;
        var overrides = new Dictionary<string, string?>
        {
            ["DarwinGrid:Home"] = home,
            ["DarwinGrid:DataDir"] = settings.DataDir,
            ["DarwinGrid:Engine:SeqMax"] = settings.SeqMax.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DarwinGrid:Engine:Threads"] = settings.Threads.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DarwinGrid:Engine:MaxAnswerTokens"] = settings.MaxTokens.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DarwinGrid:Screening:BatchSize"] = settings.BatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DarwinGrid:Screening:MaxBatchesInFlight"] = settings.BatchesInFlight.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Logging:LogLevel:Default"] = "Error",
            ["Logging:LogLevel:DarwinGrid"] = "Warning",
        };
        var host = DarwinHost.CreateSilo(overrides, (DarwinHost.FreePort(), DarwinHost.FreePort()));
        await host.StartAsync(cancellationToken);
        var client = host.Services.GetRequiredService<IClusterClient>();
        var registry = client.GetGrain<IModelRegistryGrain>(IModelRegistryGrain.Key);
        await registry.RegisterAsync(new ModelVersionInfo(Version, settings.ModelPath, [], "darwin", [], DateTimeOffset.UtcNow));
        await registry.SetDefaultAsync(IModelRegistryGrain.AnyTask, Version);
        while ((await registry.GetServingKeysAsync(Version)).IsEmpty)
            await System.Threading.Tasks.Task.Delay(50, cancellationToken);
        return new BenchGrid(host, client, home);
    }

    private static async Task<TimeSpan> RunCampaignAsync(IClusterClient client, string id, CandidateSource source, CancellationToken cancellationToken)
    {
        var campaign = client.GetGrain<ICampaignGrain>(id);
        await campaign.CreateAsync(new CampaignDefinition(id, source, [Task], [], new RankingSpec(RankingMode.WeightedScore, [new Objective(Task, ObjectiveGoal.Maximize)])));
        var clock = Stopwatch.StartNew();
        await campaign.StartAsync();
        CampaignStatus? last = null;
        await foreach (var status in campaign.WatchAsync().WithCancellation(cancellationToken))
            last = status;
        var elapsed = clock.Elapsed;
        if (last?.State != CampaignState.Completed)
            throw new InvalidOperationException($"Benchmark campaign '{id}' ended {last?.State}: {last?.Error}");
        return elapsed;
    }

    private static async Task<IReadOnlyDictionary<string, int>> ActivationsAsync(IClusterClient client)
    {
        var statistics = await client.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
        // Grain types read "Namespace.Type,Assembly"; the class name is enough here.
        return statistics.GroupBy(s => s.GrainType.Split(',')[0].Split('.')[^1]).ToDictionary(g => g.Key, g => g.Sum(s => s.ActivationCount));
    }

    private static long ManagedBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private sealed class BenchGrid(IHost host, IClusterClient client, string home) : IAsyncDisposable
    {
        public IClusterClient Client => client;

        public async ValueTask DisposeAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await host.StopAsync(timeout.Token);
            host.Dispose();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(home, recursive: true);
        }
    }
}

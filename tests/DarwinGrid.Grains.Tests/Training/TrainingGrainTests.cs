using System.Text.Json;
using DarwinGrid.Grains.Campaigns;
using DarwinGrid.Grains.Tests.Screening;
using DarwinGrid.Grains.Tests.Storage;
using DarwinGrid.Grains.Training;
using Xunit.Abstractions;
using DarwinGrid.Domain.Training;

namespace DarwinGrid.Grains.Tests.Training;

/// <summary>Training runs through the grain on the real trainer (tiny preset, a few steps) and the real engine.</summary>
public sealed class TrainingGrainTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDatabase _database = new();

    private string Store => Path.Combine(_database.DirectoryPath, "models");

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task RunThroughTheGrainReportsProgressRegistersAScoredVersionThatACampaignThenUses()
    {
        await using var grid = await TrainingCluster.StartAsync(_database.FilePath, Store);
        var spec = TrainingCluster.TinySpec(maxSteps: 8, makeDefault: true);
        grid.Gate.Arm(step: 3);
        var run = grid.Run("run-a");
        var started = await run.StartAsync(spec);
        Assert.Equal(TrainingRunState.Running, started.State);

        // Mid-run: the stored progress shows the step the trainer is held at.
        await grid.Gate.Reached.WaitAsync(TimeSpan.FromSeconds(60));
        await Eventually.TrueAsync(async () => (await run.GetStatusAsync()).Step >= 3, TimeSpan.FromSeconds(10), "progress to reach the grain");
        var mid = await run.GetStatusAsync();
        Assert.Equal(TrainingRunState.Running, mid.State);
        Assert.Equal((3, "multitask"), (mid.Step, mid.Stage));
        Assert.InRange(mid.TotalSteps, 4, 8);
        Assert.True(mid.Loss is > 0 and < 20, $"loss {mid.Loss}");
        Assert.True(mid.TokensPerSecond > 0);
        Assert.Equal(1, mid.Attempt);

        // A second start of the same run is a no-op; another spec under the same id is refused.
        var again = await run.StartAsync(spec with { Tasks = ["matbench_expt_gap", "matbench_is_metal"] });
        Assert.Equal((1, TrainingRunState.Running), (again.Attempt, again.State));
        await Assert.ThrowsAsync<InvalidOperationException>(() => run.StartAsync(spec with { MaxSteps = 9 }));

        var watched = new List<TrainingRunStatus>();
        var watching = Task.Run(async () =>
        {
            await foreach (var status in run.WatchAsync())
                watched.Add(status);
        });
        grid.Gate.Release();
        await watching.WaitAsync(TimeSpan.FromSeconds(120));
        var done = watched[^1];
        output.WriteLine($"{done.State} {done.VersionId} after {done.Elapsed.TotalSeconds:F1} s of training; {watched.Count} statuses watched: " +
                         string.Join(" ", watched.Select(s => $"{s.State}/{s.Step}")));
        Assert.True(done.State == TrainingRunState.Completed, done.Error);
        Assert.Contains(watched, s => s.State == TrainingRunState.Evaluating);
        Assert.Equal("darwin-tiny:run-a", done.VersionId);
        Assert.Equal(done.TotalSteps, done.Step);
        Assert.Null(done.Note);

        var curve = await run.GetLossCurveAsync();
        Assert.Equal(Enumerable.Range(1, done.Step), curve.Where(p => p.ValidationLoss is null).Select(p => p.Step));
        Assert.All(curve, p => Assert.True(double.IsFinite(p.Loss)));

        // Registered with the run's files, its manifest and held-out metrics, as the default for its tasks.
        var version = await grid.Registry.GetAsync("darwin-tiny:run-a");
        Assert.NotNull(version);
        Assert.Equal(Path.Combine("runs", "run-a", "darwin-tiny.gguf"), version.BaseModelPath);
        Assert.True(File.Exists(Path.Combine(Store, version.BaseModelPath)));
        Assert.False(Directory.Exists(Path.Combine(Store, "runs", "run-a", "work")));
        Assert.Equal(["matbench_expt_gap", "matbench_is_metal"], version.Tasks.ToArray());
        Assert.Equal("darwin", version.PromptFormat);
        using (var manifest = JsonDocument.Parse(version.ManifestJson!))
        {
            Assert.Equal("tiny", manifest.RootElement.GetProperty("preset").GetString());
            Assert.Equal(done.Step, manifest.RootElement.GetProperty("outcome").GetProperty("steps").GetInt32());
            Assert.Matches("^[0-9a-f]{64}$", manifest.RootElement.GetProperty("modelSha256").GetString()!);
        }
        var metrics = version.Metrics!;
        Assert.Equal(24, metrics["matbench_expt_gap"]["n"]);
        Assert.True(metrics["matbench_expt_gap"]["mae"] > 0);
        // The dummy on the same 24 records, beside the version's own numbers.
        Assert.True(metrics["matbench_expt_gap"]["dummy mae"] > 0);
        Assert.Equal(0.5, metrics["matbench_is_metal"]["dummy rocauc"], 6);
        Assert.Equal(24, metrics["matbench_is_metal"]["n"]);
        Assert.InRange(metrics["matbench_is_metal"]["accuracy"], 0, 1);
        Assert.Equal("darwin-tiny:run-a", await grid.Registry.GetDefaultAsync("band_gap"));

        // A campaign on the default model screens with the trained version.
        var campaign = grid.Campaign("after-training");
        await campaign.CreateAsync(ScreeningCluster.Definition("after-training", CandidateSet.Create(30, seed: 1), "band_gap"));
        await campaign.StartAsync();
        CampaignStatus? screened = null;
        await Eventually.TrueAsync(async () => (screened = await campaign.GetStatusAsync()).IsFinished, TimeSpan.FromSeconds(60), "the campaign to finish");
        Assert.Equal(CampaignState.Completed, screened!.State);
        Assert.Equal(30, screened.Done);
        Assert.Equal("darwin-tiny:run-a", Assert.Single(screened.Tasks).ModelVersion);

        // The run is finished: the keeper has nothing to pick up.
        Assert.DoesNotContain("run-a", await grid.Client.GetGrain<ITrainingDirectoryGrain>(ITrainingDirectoryGrain.Key).ListUnfinishedAsync());

        // DARWIN's two stages as LoRA on the registered version: a new version with run-a as its parent, which a campaign then pins.
        var loraSpec = TrainingCluster.TinySpec(maxSteps: 3) with
        {
            BaseModel = "darwin-tiny:run-a", Stages = ["qa", "multitask"], Mode = TrainingMode.Lora, Name = "tiny-lora",
        };
        await grid.Run("run-lora").StartAsync(loraSpec);
        var loraDone = await grid.WaitFinishedAsync("run-lora", TimeSpan.FromSeconds(180));
        Assert.True(loraDone.State == TrainingRunState.Completed, loraDone.Error);
        var loraCurve = await grid.Run("run-lora").GetLossCurveAsync();
        Assert.Equal(["qa", "multitask"], loraCurve.Select(p => p.Stage).Distinct());
        var loraVersion = (await grid.Registry.GetAsync("tiny-lora:run-lora"))!;
        Assert.Equal("darwin-tiny:run-a", loraVersion.ParentVersion);
        output.WriteLine("run-lora files: " + string.Join(", ", Directory.GetFileSystemEntries(Path.Combine(Store, "runs", "run-lora")).Select(Path.GetFileName)));
        // Two stages of adapters are served as one merged model; the adapters are kept beside it.
        Assert.Empty(loraVersion.Adapters);
        // The run trains "<base file>-<preset>", so its files are darwin-tiny-tiny*.
        Assert.True(File.Exists(Path.Combine(Store, "runs", "run-lora", "darwin-tiny-tiny-qa.lora.gguf")));
        Assert.True(File.Exists(Path.Combine(Store, "runs", "run-lora", "darwin-tiny-tiny-multitask.lora.gguf")));
        Assert.NotEqual(File.ReadAllBytes(Path.Combine(Store, version.BaseModelPath)), File.ReadAllBytes(Path.Combine(Store, loraVersion.BaseModelPath)));

        // One LoRA stage registers as the parent's base file plus the adapter, which the engine applies at load.
        await grid.Run("run-adapter").StartAsync(loraSpec with { Stages = ["multitask"], Name = "tiny-adapter" });
        var adapterDone = await grid.WaitFinishedAsync("run-adapter", TimeSpan.FromSeconds(120));
        Assert.True(adapterDone.State == TrainingRunState.Completed, adapterDone.Error);
        var adapterVersion = (await grid.Registry.GetAsync("tiny-adapter:run-adapter"))!;
        Assert.Equal(version.BaseModelPath, adapterVersion.BaseModelPath);
        var adapter = Assert.Single(adapterVersion.Adapters);
        Assert.True(File.Exists(Path.Combine(Store, adapter.Path)));
        Assert.True(adapterVersion.Metrics!["matbench_expt_gap"]["mae"] > 0);

        var pinned = grid.Campaign("after-lora");
        var definition = ScreeningCluster.Definition("after-lora", CandidateSet.Create(20, seed: 2), "band_gap");
        await pinned.CreateAsync(definition with { ModelVersion = "tiny-lora:run-lora" });
        await pinned.StartAsync();
        CampaignStatus? afterLora = null;
        await Eventually.TrueAsync(async () => (afterLora = await pinned.GetStatusAsync()).IsFinished, TimeSpan.FromSeconds(60), "the LoRA campaign to finish");
        Assert.Equal(CampaignState.Completed, afterLora!.State);
        Assert.Equal("tiny-lora:run-lora", Assert.Single(afterLora.Tasks).ModelVersion);
    }

    [Fact]
    public async Task CancelledRunStopsAtTheNextStepAndRegistersNothing()
    {
        await using var grid = await TrainingCluster.StartAsync(_database.FilePath, Store);
        grid.Gate.Arm(step: 2);
        var run = grid.Run("run-cancel");
        await run.StartAsync(TrainingCluster.TinySpec(maxSteps: 400));
        await grid.Gate.Reached.WaitAsync(TimeSpan.FromSeconds(60));
        await run.CancelAsync();
        grid.Gate.Release();

        var status = await grid.WaitFinishedAsync("run-cancel", TimeSpan.FromSeconds(30));
        Assert.Equal(TrainingRunState.Cancelled, status.State);
        Assert.InRange(status.Step, 2, 3);
        Assert.Null(status.VersionId);
        Assert.Empty(await grid.Registry.ListAsync());
        Assert.Equal(TrainingRunState.Cancelled, (await run.CancelAsync()).State);
        Assert.Empty(await grid.Client.GetGrain<ITrainingDirectoryGrain>(ITrainingDirectoryGrain.Key).ListUnfinishedAsync());
    }

    [Fact]
    public async Task SiloKilledDuringTrainingTheRunContinuesOnTheOtherSiloAndCompletes()
    {
        await using var grid = await TrainingCluster.StartAsync(_database.FilePath, Store, silos: 2);
        grid.Gate.Arm(step: 3);
        await grid.Run("run-kill").StartAsync(TrainingCluster.TinySpec(maxSteps: 6) with { CheckpointEverySteps = 2 });
        await grid.Gate.Reached.WaitAsync(TimeSpan.FromSeconds(60));
        await Eventually.TrueAsync(async () => (await grid.Run("run-kill").GetStatusAsync()).Step >= 3, TimeSpan.FromSeconds(10), "progress to reach the grain");

        var grain = grid.Run("run-kill");
        Assert.True(grid.Cluster.TryGetGrainContext(grain.GetGrainId(), out var context), "the run's activation was not found");
        var victim = grid.Cluster.Silos.Single(s => s.SiloAddress.Equals(context.Address.SiloAddress));
        var survivor = grid.Cluster.Silos.Single(s => s != victim);
        output.WriteLine($"killing {victim.Name}, which trains run-kill");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await grid.Cluster.KillSiloAsync(victim);
        grid.Gate.Release(); // The dead silo's trainer thread wakes up cancelled.

        await Eventually.TrueAsync(async () => (await grid.Run("run-kill").GetStatusAsync()).Attempt == 2, TimeSpan.FromSeconds(60), "the second attempt");
        var resumedAfter = clock.Elapsed;
        var status = await grid.WaitFinishedAsync("run-kill", TimeSpan.FromSeconds(120));
        output.WriteLine($"{status.State} on {status.Silo}, attempt {status.Attempt} started {resumedAfter.TotalSeconds:F1} s after the kill, " +
                         $"finished {clock.Elapsed.TotalSeconds:F1} s after it: {status.Note}");
        Assert.True(status.State == TrainingRunState.Completed, status.Error);
        Assert.Equal(2, status.Attempt);
        Assert.Equal(survivor.Name, status.Silo);
        Assert.Contains("resumed from checkpoint", status.Note);
        Assert.Equal(status.TotalSteps, status.Step);
        // The resumed attempt continued the curve: every step once, none replayed twice.
        var steps = (await grid.Run("run-kill").GetLossCurveAsync()).Where(p => p.ValidationLoss is null).Select(p => p.Step).ToArray();
        Assert.Equal(Enumerable.Range(1, status.Step), steps);
        var version = await grid.Registry.GetAsync("darwin-tiny:run-kill");
        Assert.NotNull(version);
        Assert.True(File.Exists(Path.Combine(Store, version.BaseModelPath)));
        Assert.Equal(["darwin-tiny.gguf", "darwin-tiny.loss.csv", "darwin-tiny.manifest.json"],
            Directory.GetFileSystemEntries(Path.Combine(Store, "runs", "run-kill")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task RunsArePlacedOnlyOnSilosThatMayTrainAndAnUnknownBaseVersionFailsTheRunByName()
    {
        static bool CanTrain(string silo) => silo.EndsWith("_1", StringComparison.Ordinal); // Silo_0 may not train
        await using var grid = await TrainingCluster.StartAsync(_database.FilePath, Store, silos: 2, canTrain: CanTrain);
        Assert.Contains(grid.Cluster.Silos, s => !CanTrain(s.Name));
        // A base that is not registered fails each run at once, which is all placement needs.
        var lora = TrainingCluster.TinySpec() with { Mode = TrainingMode.Lora, BaseModel = "no-such:version" };
        var trainers = new HashSet<string>();
        for (var i = 0; i < 6; i++)
        {
            var id = $"placed-{i}";
            // The silo metadata cache may not know the other silo for a moment after start.
            await Eventually.TrueAsync(async () => (await grid.Run(id).StartAsync(lora)).State != TrainingRunState.None, TimeSpan.FromSeconds(20), $"run {id} to be placed");
            Assert.True(grid.Cluster.TryGetGrainContext(grid.Run(id).GetGrainId(), out var context));
            trainers.Add(grid.Cluster.Silos.Single(s => s.SiloAddress.Equals(context.Address.SiloAddress)).Name);
            var status = await grid.WaitFinishedAsync(id, TimeSpan.FromSeconds(20));
            Assert.Equal(TrainingRunState.Failed, status.State);
            Assert.Contains("'no-such:version' is not a registered model version", status.Error);
        }
        var allowed = Assert.Single(trainers);
        Assert.True(CanTrain(allowed), $"a run was placed on {allowed}, which may not train");

        await Assert.ThrowsAsync<ArgumentException>(() => grid.Run("bad-spec").StartAsync(lora with { Tasks = ["not_a_task"] }));
        await Assert.ThrowsAsync<ArgumentException>(() => grid.Run("bad/id").StartAsync(lora));
        Assert.Equal(TrainingRunState.None, (await grid.Run("bad-spec").GetStatusAsync()).State);
    }
}

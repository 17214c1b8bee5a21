using DarwinGrid.Grains.Campaigns;
using DarwinGrid.Grains.Storage;
using DarwinGrid.Grains.Tests.Storage;
using DarwinGrid.Grains.Tasks;
using Xunit.Abstractions;

namespace DarwinGrid.Grains.Tests.Screening;

/// <summary>Campaigns that lose a silo, or the whole cluster, half-way and still finish with every result exactly once.</summary>
[Collection(ScreeningCollection.Name)]
public sealed class FailoverTests(TinyModel model, ITestOutputHelper output) : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task KilledSiloMidCampaignCampaignCompletesWithNoLostOrDuplicateResultsAndASecondCampaignIsServedFromTheCache()
    {
        await using var screening = await ScreeningCluster.StartAsync(_database.FilePath, model.Path, silos: 2);
        var generated = new CandidateGeneratorSpec("{A}{1-x}{B}{x}Ti{1-y}Zr{y}O3",
            [new GeneratorSite("A", ["Ba", "Sr"]), new GeneratorSite("B", ["Mg", "Pb"])], RequireChargeNeutral: false,
            [new DopingVariable("x", 0.01, 0.99, 0.01), new DopingVariable("y", 0.01, 0.99, 0.01)], Limit: 2000);
        var definition = new CampaignDefinition("failover", CandidateSource.FromGenerator(generated), ["band_gap"], [],
            new RankingSpec(RankingMode.WeightedScore, [new Objective("band_gap", ObjectiveGoal.Target, 1.4)]));
        var campaign = screening.Campaign("failover");
        await campaign.CreateAsync(definition);
        await campaign.StartAsync();

        await Eventually.TrueAsync(async () => (await campaign.GetStatusAsync()).Done >= 500, TimeSpan.FromSeconds(60), "a quarter of the campaign");
        var before = await campaign.GetStatusAsync();
        Assert.True(before.Done < before.Total, $"the campaign finished before the kill ({before.Done}/{before.Total}); make it longer");

        // Kill the silo that runs the task grain, so the batch loop itself has to move.
        var taskGrain = screening.Client.GetGrain<ITaskGrain>(ITaskGrain.KeyOf("failover", "matbench_expt_gap"));
        var host = screening.Cluster.TryGetGrainContext(taskGrain.GetGrainId(), out var context) ? context.Address.SiloAddress : null;
        var victim = screening.Cluster.Silos.FirstOrDefault(s => s.SiloAddress.Equals(host)) ?? screening.Cluster.Silos[1];
        output.WriteLine($"killing {victim.Name} at {before.Done}/{before.Total}; the task grain ran on {(host is null ? "?" : victim.SiloAddress.Equals(host) ? "it" : "the other silo")}");
        await screening.Cluster.KillSiloAsync(victim);

        var status = await screening.WaitFinishedAsync("failover", TimeSpan.FromSeconds(120));
        Assert.Equal(CampaignState.Completed, status.State);
        Assert.Equal(2000, status.Candidates);
        Assert.Equal(2000, status.Total);
        Assert.Equal(2000, status.Done);
        Assert.Empty(await screening.Store.FindDuplicateResultKeysAsync("failover"));
        // Failed predictions are the random model's unreadable answers, never a model that could not be reached.
        var failed = 0;
        await foreach (var candidate in screening.Store.ReadAllResultsAsync("failover"))
        {
            foreach (var row in candidate.Results.Where(r => r.Prediction.Error is not null))
            {
                failed++;
                Assert.DoesNotContain("unavailable", row.Prediction.Error);
            }
        }
        Assert.Equal(status.Failed, failed);
        Assert.Equal(2000, await screening.Store.CountResultRowsAsync("failover"));
        var completed = await screening.Store.ReadCompletedIndexesAsync("failover", new TaskModel("matbench_expt_gap", ScreeningCluster.Version), 0, 2000);
        Assert.Equal(Enumerable.Range(0, 2000).Select(i => (long)i), completed);
        var top = await campaign.GetTopAsync(5);
        Assert.Equal(5, top.Length);
        Assert.All(top, r => Assert.NotNull(r.Score));

        // The same materials again, in another order and through a list: every answer from the cache, no model call.
        var materials = new List<string>();
        await foreach (var candidate in screening.Store.ReadAllResultsAsync("failover"))
            materials.Add(candidate.Composition);
        materials.Reverse();
        var callsBefore = screening.Counter.Inputs;
        var again = screening.Campaign("again");
        await again.CreateAsync(ScreeningCluster.Definition("again", materials));
        await again.StartAsync();
        var second = await screening.WaitFinishedAsync("again", TimeSpan.FromSeconds(60));
        Assert.Equal(CampaignState.Completed, second.State);
        Assert.Equal(2000, second.Total);
        Assert.Equal(second.Total, second.Cached);
        Assert.Equal(callsBefore, screening.Counter.Inputs);
    }

    [Fact]
    public async Task ClusterStoppedMidCampaignRestartedOnTheSameDatabaseFinishesByItselfWithOneResultPerCandidateAndTask()
    {
        var candidates = CandidateSet.Create(1500, seed: 3);
        var counter = new ModelCallCounter();
        await using (var first = await ScreeningCluster.StartAsync(_database.FilePath, model.Path, counter: counter))
        {
            var campaign = first.Campaign("restart");
            await campaign.CreateAsync(ScreeningCluster.Definition("restart", candidates, "band_gap", "is_metal"));
            await campaign.StartAsync();
            await Eventually.TrueAsync(async () => (await campaign.GetStatusAsync()).Done >= 600, TimeSpan.FromSeconds(60), "a fifth of the campaign");
            var mid = await campaign.GetStatusAsync();
            output.WriteLine($"stopping the cluster at {mid.Done}/{mid.Total}");
            Assert.True(mid.Done < mid.Total, $"the campaign finished before the stop ({mid.Done}/{mid.Total})");
        }

        await using var second = await ScreeningCluster.StartAsync(_database.FilePath, model.Path, counter: counter);
        // Nobody calls the campaign: the silo's keeper finds it unfinished and it resumes on activation.
        var store = second.Store;
        await Eventually.TrueAsync(async () => await store.CountResultRowsAsync("restart") == 3000, TimeSpan.FromSeconds(120), "all 3000 results after the restart");
        var status = await second.WaitFinishedAsync("restart", TimeSpan.FromSeconds(30));
        Assert.Equal(CampaignState.Completed, status.State);
        Assert.Equal(3000, status.Done);
        Assert.Empty(await store.FindDuplicateResultKeysAsync("restart"));
        foreach (var task in new[] { "matbench_expt_gap", "matbench_is_metal" })
        {
            var indexes = await store.ReadCompletedIndexesAsync("restart", new TaskModel(task, ScreeningCluster.Version), 0, 1500);
            Assert.Equal(Enumerable.Range(0, 1500).Select(i => (long)i), indexes);
        }
        output.WriteLine($"model inputs over both runs: {counter.Inputs}");
        // Each material was predicted once per task (no batch was redone after the restart).
        Assert.InRange(counter.Inputs, 3000, 3000 + 2 * 4 * 50);
    }
}

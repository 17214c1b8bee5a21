using DarwinGrid.Grains.Campaigns;
using DarwinGrid.Grains.Tasks;
using DarwinGrid.Grains.Tests.Storage;

namespace DarwinGrid.Grains.Tests.Screening;

/// <summary>Pause, resume and cancel, and definitions that are rejected whole or row by row.</summary>
[Collection(ScreeningCollection.Name)]
public sealed class CampaignLifecycleTests(TinyModel model) : IAsyncLifetime
{
    private readonly TempDatabase _database = new();
    private ScreeningCluster _screening = null!;

    public async Task InitializeAsync() => _screening = await ScreeningCluster.StartAsync(_database.FilePath, model.Path);

    public async Task DisposeAsync()
    {
        await _screening.DisposeAsync();
        _database.Dispose();
    }

    [Fact]
    public async Task PausingAPausedCampaignAgainPausesATaskThatMissedTheFirstPause()
    {
        _screening.Counter.BatchDelay = TimeSpan.FromMilliseconds(150);
        var campaign = _screening.Campaign("repause");
        await campaign.CreateAsync(ScreeningCluster.Definition("repause", CandidateSet.Create(1200, seed: 3)));
        await campaign.StartAsync();
        await Eventually.TrueAsync(async () => (await campaign.GetStatusAsync()).Done >= 100, TimeSpan.FromSeconds(30), "some progress");
        await campaign.PauseAsync();
        await Task.Delay(1000);

        // The task runs while the campaign says Paused: what a task activation that lost the pause leaves behind.
        var task = _screening.Client.GetGrain<ITaskGrain>(ITaskGrain.KeyOf("repause", "matbench_expt_gap"));
        await task.ResumeAsync();
        var before = await _screening.Store.CountResultRowsAsync("repause");
        await Eventually.TrueAsync(async () => await _screening.Store.CountResultRowsAsync("repause") > before, TimeSpan.FromSeconds(30), "the task moves again");

        // The client's retry of the pause reaches it.
        Assert.Equal(CampaignState.Paused, (await campaign.PauseAsync()).State);
        var settled = await SettledAsync(() => _screening.Store.CountResultRowsAsync("repause"));
        await Task.Delay(1000);
        Assert.Equal(settled, await _screening.Store.CountResultRowsAsync("repause"));
        Assert.True(settled < 1200);
        Assert.Equal(CampaignState.Cancelled, (await campaign.CancelAsync()).State);
    }

    [Fact]
    public async Task PausedCampaignStopsMovingResumedOneFinishesCancelledOneStopsForGood()
    {
        // Each batch waits 150 ms in the model, so the campaign is surely mid-way when we act.
        _screening.Counter.BatchDelay = TimeSpan.FromMilliseconds(150);
        var campaign = _screening.Campaign("pause");
        await campaign.CreateAsync(ScreeningCluster.Definition("pause", CandidateSet.Create(1200, seed: 1)));
        await campaign.StartAsync();
        await Eventually.TrueAsync(async () => (await campaign.GetStatusAsync()).Done >= 200, TimeSpan.FromSeconds(30), "some progress");

        var paused = await campaign.PauseAsync();
        Assert.Equal(CampaignState.Paused, paused.State);
        var settled = await SettledAsync(async () => (await campaign.GetStatusAsync()).Done);
        await Task.Delay(1000);
        var later = await campaign.GetStatusAsync();
        Assert.Equal(CampaignState.Paused, later.State);
        Assert.Equal(settled, later.Done);
        Assert.True(later.Done < later.Total);

        _screening.Counter.BatchDelay = TimeSpan.Zero;
        Assert.Equal(CampaignState.Running, (await campaign.ResumeAsync()).State);
        var finished = await _screening.WaitFinishedAsync("pause", TimeSpan.FromSeconds(60));
        Assert.Equal(CampaignState.Completed, finished.State);
        Assert.Equal(1200, finished.Done);
        Assert.Empty(await _screening.Store.FindDuplicateResultKeysAsync("pause"));

        _screening.Counter.BatchDelay = TimeSpan.FromMilliseconds(150);
        var cancel = _screening.Campaign("cancel");
        await cancel.CreateAsync(ScreeningCluster.Definition("cancel", CandidateSet.Create(1200, seed: 2)));
        await cancel.StartAsync();
        await Eventually.TrueAsync(async () => (await cancel.GetStatusAsync()).Done >= 100, TimeSpan.FromSeconds(30), "some progress");
        var cancelled = await cancel.CancelAsync();
        Assert.Equal(CampaignState.Cancelled, cancelled.State);
        Assert.NotNull(cancelled.FinishedAt);
        await Task.Delay(800);
        var rows = await _screening.Store.CountResultRowsAsync("cancel");
        await Task.Delay(800);
        Assert.Equal(rows, await _screening.Store.CountResultRowsAsync("cancel"));
        Assert.True(rows < 1200);
        await Assert.ThrowsAsync<InvalidOperationException>(() => cancel.StartAsync());
        Assert.DoesNotContain("cancel", await _screening.Client.GetGrain<ICampaignDirectoryGrain>(ICampaignDirectoryGrain.Key).ListUnfinishedAsync());
    }

    /// <summary>
    /// The count once the batches in flight at a pause have been recorded: two readings two seconds apart
    /// agree (on a loaded machine a batch of 150 ms in the model can take over a second to be stored). How long that takes depends on the machine's load (up to the pipeline's depth of batches),
    /// so it is waited for, not assumed; a count that never settles fails the test.
    /// </summary>
    private static async Task<long> SettledAsync(Func<Task<long>> count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        var last = await count();
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(2000);
            var now = await count();
            if (now == last) return now;
            last = now;
        }
        throw new Xunit.Sdk.XunitException($"The count kept moving for 20 s after the pause (last {last}).");
    }

    [Fact]
    public async Task BadDefinitionsAreRejectedWithTheProblemNamedAndTheGrainKeepsWorking()
    {
        var campaign = _screening.Campaign("bad");
        var good = ScreeningCluster.Definition("bad", ["NaCl"]);

        var unknownTask = await Assert.ThrowsAsync<ArgumentException>(() => campaign.CreateAsync(good with { Tasks = ["band_gap", "colour"] }));
        Assert.Contains("'colour'", unknownTask.Message);
        var smiles = await Assert.ThrowsAsync<ArgumentException>(() => campaign.CreateAsync(good with { Tasks = ["solubility"] }));
        Assert.Contains("not compositions", smiles.Message);
        var strayFilter = await Assert.ThrowsAsync<ArgumentException>(() => campaign.CreateAsync(good with
        {
            Filters = [new PropertyFilter("is_metal", FilterOperator.Is, Label: "false")],
        }));
        Assert.Contains("does not predict", strayFilter.Message);
        var badLabel = await Assert.ThrowsAsync<ArgumentException>(() => campaign.CreateAsync(good with
        {
            Tasks = ["band_gap", "is_metal"],
            Filters = [new PropertyFilter("is_metal", FilterOperator.Is, Label: "shiny")],
        }));
        Assert.Contains("'shiny'", badLabel.Message);
        var pareto = await Assert.ThrowsAsync<ArgumentException>(() => campaign.CreateAsync(good with
        {
            Ranking = new RankingSpec(RankingMode.Pareto, [new Objective("band_gap", ObjectiveGoal.Maximize)]),
        }));
        Assert.Contains("two or more", pareto.Message);
        var csv = Path.Combine(_database.DirectoryPath, "candidates.csv");
        await File.WriteAllLinesAsync(csv, ["formula,source", "NaCl,x"]);
        var column = await Assert.ThrowsAsync<ArgumentException>(() => campaign.CreateAsync(good with { Candidates = CandidateSource.FromCsv(csv) }));
        Assert.Contains("no column 'composition'", column.Message);
        var generator = await Assert.ThrowsAsync<ArgumentException>(() => campaign.CreateAsync(good with
        {
            Candidates = CandidateSource.FromGenerator(new CandidateGeneratorSpec("{A}O", [new GeneratorSite("A", ["Xx"])])),
        }));
        Assert.Contains("'Xx'", generator.Message);

        // An empty list is refused at start; nothing was stored by the rejected creates.
        var empty = _screening.Campaign("empty");
        await empty.CreateAsync(ScreeningCluster.Definition("empty", []));
        var noCandidates = await Assert.ThrowsAsync<ArgumentException>(() => empty.StartAsync());
        Assert.Contains("no candidates", noCandidates.Message);
        Assert.Equal(CampaignState.Draft, (await empty.GetStatusAsync()).State);

        // Malformed rows are recorded one by one; the good ones are screened.
        var rows = new[] { "Fe2O3", "Xy2O3", "", "NaCl", "Fe((O", "CsPbI3" };
        var status = await campaign.CreateAsync(ScreeningCluster.Definition("bad", rows));
        Assert.Equal(3, status.Candidates);
        Assert.Equal(3, status.RejectedCandidates);
        var appended = await campaign.AppendCandidatesAsync(["GaAs", "Q"]);
        Assert.Equal([7L], appended.Select(r => r.Row));
        var rejected = await campaign.GetRejectedAsync();
        Assert.Equal([1L, 2L, 4L, 7L], rejected.Select(r => r.Row));
        Assert.Equal(["Xy2O3", "", "Fe((O", "Q"], rejected.Select(r => r.Input));
        Assert.All(rejected, r => Assert.False(string.IsNullOrWhiteSpace(r.Reason)));
        await campaign.StartAsync();
        var done = await _screening.WaitFinishedAsync("bad", TimeSpan.FromSeconds(30));
        Assert.Equal(CampaignState.Completed, done.State);
        Assert.Equal(4, done.Done);
        await Assert.ThrowsAsync<InvalidOperationException>(() => campaign.CreateAsync(good));
    }
}

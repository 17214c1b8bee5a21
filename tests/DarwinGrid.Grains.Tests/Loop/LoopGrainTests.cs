using System.Text;
using DarwinGrid.Domain.Acquisition;
using DarwinGrid.Domain.Screening;
using DarwinGrid.Grains.Campaigns;
using DarwinGrid.Grains.Loop;
using DarwinGrid.Grains.Models;
using DarwinGrid.Grains.Tests.Screening;
using DarwinGrid.Grains.Tests.Storage;

namespace DarwinGrid.Grains.Tests.Loop;

/// <summary>The loop grain on a screened campaign (real tiny model, real SQLite): proposals, measured-values uploads, rescreens.</summary>
[Collection(ScreeningCollection.Name)]
public sealed class LoopGrainTests(TinyModel model) : IAsyncLifetime
{
    private readonly TempDatabase _database = new();
    private ScreeningCluster _grid = null!;

    public async Task InitializeAsync() => _grid = await ScreeningCluster.StartAsync(_database.FilePath, model.Path);

    public async Task DisposeAsync()
    {
        await _grid.DisposeAsync();
        _database.Dispose();
    }

    [Fact]
    public async Task ProposalsStoreRuleVersionAndDistributionsScoreExactlyAndLeaveMeasuredCandidatesOut()
    {
        var campaign = await LoopCampaign.ScreenAsync(_grid, "loop-propose", 40, seed: 7);
        var loop = LoopCampaign.Loop(_grid, "loop-propose");
        var results = (await campaign.GetResultsAsync(new ResultQuery(PageSize: 100))).Items.ToDictionary(r => r.Composition);
        var usable = results.Values.Count(r => r.Predictions["matbench_expt_gap"].Succeeded);
        Assert.True(usable >= 20, $"only {usable} of 40 predictions succeeded");

        var poi = await loop.ProposeAsync(new ProposalRequest(6, ProposalRule.Poi, RequestedBy: "ada"));
        Assert.Equal((1, ProposalRule.Poi, "ada", ScreeningCluster.Version), (poi.Round, poi.Rule, poi.CreatedBy, poi.ModelVersionLabel));
        Assert.Equal(6, poi.Candidates.Length);
        Assert.Equal(usable, poi.Considered);
        Assert.Equal(Enumerable.Range(1, 6), poi.Candidates.Select(c => c.Rank));
        Assert.Equal(6, poi.Candidates.Select(c => c.Composition).Distinct().Count());
        foreach (var pick in poi.Candidates)
        {
            // poi is the campaign's probability of success, and the stored prediction is the campaign's.
            var result = results[pick.Composition];
            Assert.Equal(result.SuccessProbability!.Value, pick.Acquisition, 9);
            var predicted = Assert.Single(pick.Predictions);
            Assert.Equal((ScreeningCluster.Version, result.Predictions[predicted.Task].Low, result.Predictions[predicted.Task].High),
                (predicted.ModelVersion, predicted.Low, predicted.High));
            Assert.NotNull(predicted.Distribution);
            Assert.Equal(predicted.Distribution!.ToDomain().Median, predicted.Median);
        }
        // With no diversity penalty the batch is the plain top 6 by success probability.
        var plain = await loop.ProposeAsync(new ProposalRequest(6, ProposalRule.Poi, Diversity: 0));
        var top = results.Values.Where(r => r.Predictions["matbench_expt_gap"].Succeeded).OrderByDescending(r => r.SuccessProbability).Select(r => r.SuccessProbability!.Value).Take(6);
        Assert.Equal(top, plain.Candidates.Select(c => c.Acquisition), new ToleranceComparer(1e-9));

        // UCB: the optimistic end of each distribution's 90% interval, exactly.
        var ucb = await loop.ProposeAsync(new ProposalRequest(4, ProposalRule.Ucb, Diversity: 0));
        Assert.Equal("matbench_expt_gap", ucb.Objective);
        foreach (var pick in ucb.Candidates)
        {
            var distribution = results[pick.Composition].Predictions[ucb.Objective!].Distribution!.ToDomain();
            Assert.Equal(ImprovementScores.UpperConfidenceBound(distribution, ScreeningGoal.Maximize, null, 0.9), pick.Acquisition, 9);
        }

        // Two candidates measured: left out of the next proposal, and EI improves on the best of them (times P(success)).
        var measured = poi.Candidates.Take(2).Select(c => c.Composition).ToArray();
        var upload = await loop.UploadMeasuredAsync(LoopCampaign.Csv("ada", (measured[0], 1.25), (measured[1], 2.5)));
        Assert.True(upload.Accepted, string.Join("; ", upload.Problems));
        var ei = await loop.ProposeAsync(new ProposalRequest(5, ProposalRule.Ei));
        Assert.Equal((4, 2, usable - 2L, (double?)2.5), (ei.Round, ei.ExcludedMeasured, ei.Considered, ei.BestMeasured));
        Assert.DoesNotContain(ei.Candidates, c => measured.Contains(c.Composition));
        foreach (var pick in ei.Candidates)
        {
            var result = results[pick.Composition];
            var expected = ImprovementScores.ExpectedImprovement(result.Predictions["matbench_expt_gap"].Distribution!.ToDomain(), ScreeningGoal.Maximize, 2.5)
                           * result.SuccessProbability!.Value;
            Assert.Equal(expected, pick.Acquisition, 9);
        }

        // Stored: every round with its rule; the overview lists them and the discovery curve counts the measured hits of round 1.
        Assert.Equal(ProposalRule.Ucb, (await loop.GetProposalAsync(3))!.Rule);
        Assert.Null(await loop.GetProposalAsync(9));
        var overview = await loop.GetOverviewAsync();
        Assert.Equal([ProposalRule.Poi, ProposalRule.Poi, ProposalRule.Ucb, ProposalRule.Ei], overview.Proposals.Select(p => p.Rule));
        var round1 = overview.Discovery[0];
        Assert.Equal((2, 2, (double?)2.5), (round1.Measured, round1.Hits, round1.BestMeasured)); // 1.25 and 2.5 both in [0.5, 3]
        Assert.Equal(2, overview.Discovery[^1].CumulativeHits); // a candidate proposed again is counted in its first round only
        Assert.Equal(ScreeningCluster.Version, Assert.Single(overview.Screenings).ModelVersion);

        // Refusals name the problem.
        await Assert.ThrowsAsync<ArgumentException>(() => loop.ProposeAsync(new ProposalRequest(0, ProposalRule.Poi)));
        await Assert.ThrowsAsync<ArgumentException>(() => loop.ProposeAsync(new ProposalRequest(LoopLimits.MaxBatch + 1, ProposalRule.Poi)));
        var objective = await Assert.ThrowsAsync<ArgumentException>(() => loop.ProposeAsync(new ProposalRequest(3, ProposalRule.Ei, Objective: "is_metal")));
        Assert.Contains("not one of the campaign's objectives", objective.Message);
    }

    [Fact]
    public async Task MeasuredUploadNamesBadRowsDuplicatesAndUnknownCandidatesAndStoresNothingUntilAllAreGood()
    {
        await LoopCampaign.ScreenAsync(_grid, "loop-measured", 20, seed: 8);
        var loop = LoopCampaign.Loop(_grid, "loop-measured");
        var candidates = CandidateSet.Create(20, seed: 8);
        var stranger = CandidateSet.Create(1, seed: 99)[0];
        var csv = $"""
            composition,task,value,conditions,notes
            {candidates[0]},band_gap,1.5,300 K,
            {candidates[1]},band_gap,abc,,
            Xx2O3,band_gap,1.0,,
            {candidates[2]},bandgapp,1.0,,
            {candidates[0]},band_gap,1.6,300 K,again
            {stranger},band_gap,1.1,,
            {candidates[3]},is_metal,maybe,,
            """;
        var refused = await loop.UploadMeasuredAsync(new MeasuredUpload(Encoding.UTF8.GetBytes(csv), "ada", "bad.csv"));
        Assert.False(refused.Accepted);
        Assert.Null(refused.Dataset);
        var lines = refused.Problems.ToDictionary(p => p.Line, p => p.Problem);
        Assert.Equal([3L, 4, 5, 6, 7, 8], lines.Keys.Order());
        Assert.Contains("is not a number", lines[3]);
        Assert.Contains("Xx", lines[4]);
        Assert.Contains("unknown task 'bandgapp'", lines[5]);
        Assert.Contains("already given on line 2", lines[6]);
        Assert.Contains("is not a candidate of this campaign", lines[7]);
        Assert.Contains("none of the classes", lines[8]);
        Assert.Empty((await loop.GetOverviewAsync()).Datasets);

        // A task the campaign does not screen is refused as well, naming the row.
        var metal = await loop.UploadMeasuredAsync(new MeasuredUpload(Encoding.UTF8.GetBytes($"composition,task,value\n{candidates[3]},is_metal,true\n"), "ada"));
        Assert.Contains("not one of the campaign's tasks", Assert.Single(metal.Problems).Problem);

        var good = LoopCampaign.Csv("ada", (candidates[0], 1.5), (candidates[1], 0.2));
        var first = await loop.UploadMeasuredAsync(good);
        Assert.True(first.Accepted);
        Assert.Equal((1, "ada", "lab.csv", 2, 0), (first.Dataset!.Version, first.Dataset.UploadedBy, first.Dataset.FileName, first.Dataset.Rows, first.Dataset.Superseded));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(good.Content)), first.Dataset.Sha256);
        var again = await Assert.ThrowsAsync<InvalidOperationException>(() => loop.UploadMeasuredAsync(good with { UploadedBy = "bob" }));
        Assert.Contains("already uploaded as lab dataset version 1", again.Message);

        // A re-measurement is a new version that supersedes the earlier value.
        var second = await loop.UploadMeasuredAsync(LoopCampaign.Csv("bob", (candidates[0], 1.7)));
        Assert.Equal((2, 1, 1), (second.Dataset!.Version, second.Dataset.Rows, second.Dataset.Superseded));

        // Measured beside predicted: the campaign's prediction at upload time, with its interval.
        var comparison = await loop.GetComparisonAsync();
        Assert.Equal(3, comparison.Length);
        Assert.All(comparison, row =>
        {
            Assert.Equal("matbench_expt_gap", row.Task);
            Assert.Equal(ScreeningCluster.Version, row.Predicted!.ModelVersion);
            Assert.NotNull(row.Predicted.Median);
            Assert.Equal(row.Measured >= row.Predicted.Low && row.Measured <= row.Predicted.High, row.Inside);
        });
        Assert.Equal([1, 1, 2], comparison.Select(r => r.DatasetVersion));
    }

    [Fact]
    public async Task RescreenSwitchesTheCampaignAndThePredictionCacheKeepsEachVersionsEntriesApart()
    {
        await LoopCampaign.ScreenAsync(_grid, "loop-rescreen", 16, seed: 9);
        // The same weights under another version id: nothing cached for v1 may answer for it.
        await _grid.Registry.RegisterAsync(new ModelVersionInfo("tiny-v2", model.Path, [], "darwin", [], DateTimeOffset.UtcNow));
        var loop = LoopCampaign.Loop(_grid, "loop-rescreen");
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => loop.RescreenAsync());
        Assert.Contains("no completed update", refused.Message);

        var running = await loop.RescreenAsync("tiny-v2");
        Assert.Equal(CampaignState.Running, running.State);
        var done = await _grid.WaitFinishedAsync("loop-rescreen", TimeSpan.FromSeconds(120));
        Assert.Equal(CampaignState.Completed, done.State);
        var task = Assert.Single(done.Tasks);
        Assert.Equal(("tiny-v2", 16L, 0L), (task.ModelVersion, task.Done, task.Cached));
        Assert.Equal("tiny-v2", (await _grid.Campaign("loop-rescreen").GetDefinitionAsync())!.ModelVersion);
        var page = await _grid.Campaign("loop-rescreen").GetResultsAsync(new ResultQuery(PageSize: 100));
        Assert.All(page.Items, r => Assert.Equal("tiny-v2", r.Predictions["matbench_expt_gap"].ModelVersion));
        Assert.Equal(["tiny-v1", "tiny-v2"], (await loop.GetOverviewAsync()).Screenings.Select(s => s.ModelVersion));

        // The old version's entries are still there, for the old version only: a campaign on v1 takes all of them from the cache.
        var again = _grid.Campaign("loop-old-version");
        await again.CreateAsync(ScreeningCluster.Definition("old", CandidateSet.Create(16, seed: 9), "band_gap") with { ModelVersion = ScreeningCluster.Version });
        await again.StartAsync();
        var old = await _grid.WaitFinishedAsync("loop-old-version", TimeSpan.FromSeconds(60));
        Assert.Equal(16, Assert.Single(old.Tasks).Cached);

        // Only a completed campaign is screened again, and only with a registered version.
        var draft = _grid.Campaign("loop-draft");
        await draft.CreateAsync(ScreeningCluster.Definition("draft", CandidateSet.Create(2, seed: 9), "band_gap"));
        Assert.Contains("only a completed campaign", (await Assert.ThrowsAsync<InvalidOperationException>(() => draft.RescreenAsync("tiny-v2"))).Message);
        Assert.Contains("not registered", (await Assert.ThrowsAsync<ArgumentException>(() => _grid.Campaign("loop-rescreen").RescreenAsync("nope"))).Message);
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(double obj) => 0;
    }
}

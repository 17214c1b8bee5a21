using DarwinGrid.Grains.Campaigns;
using DarwinGrid.Grains.Models;
using DarwinGrid.Grains.Tests.Storage;

namespace DarwinGrid.Grains.Tests.Screening;

/// <summary>The estimate a campaign asks for reaches the model, keys the prediction cache, and a campaign can rank by the probability of success.</summary>
[Collection(ScreeningCollection.Name)]
public sealed class CampaignEstimateTests(TinyModel model) : IAsyncLifetime
{
    private static readonly PropertyFilter GapWindow = new("band_gap", FilterOperator.Between, 0.5, 3.0);

    private readonly TempDatabase _database = new();
    private ScreeningCluster _screening = null!;

    public async Task InitializeAsync() => _screening = await ScreeningCluster.StartAsync(_database.FilePath, model.Path);

    public async Task DisposeAsync()
    {
        await _screening.DisposeAsync();
        _database.Dispose();
    }

    private async Task<(CampaignStatus Status, List<CandidateResult> Results)> RunAsync(string id, IReadOnlyList<string> candidates, PredictionEstimate estimate, RankingSpec ranking)
    {
        var campaign = _screening.Campaign(id);
        await campaign.CreateAsync(new CampaignDefinition(id, CandidateSource.FromList(candidates), ["band_gap"], [GapWindow], ranking, Estimate: estimate));
        await campaign.StartAsync();
        var status = await _screening.WaitFinishedAsync(id, TimeSpan.FromSeconds(240));
        Assert.Equal(CampaignState.Completed, status.State);
        var page = await campaign.GetResultsAsync(new ResultQuery(PageSize: 1000, SortBy: ResultSortKey.Composition, Descending: false));
        return (status, [.. page.Items]);
    }

    [Fact]
    public async Task TheEstimateReachesTheModelAndEachEstimateHasItsOwnCacheEntries()
    {
        var candidates = CandidateSet.Create(12, seed: 11);
        var byScore = new RankingSpec(RankingMode.WeightedScore, [new Objective("band_gap", ObjectiveGoal.Maximize)]);

        var (_, greedy) = await RunAsync("greedy", candidates, PredictionEstimate.Greedy, byScore);
        Assert.Equal(12, _screening.Counter.Inputs);
        Assert.All(_screening.Counter.Estimates, e => Assert.Equal(PredictionEstimate.Greedy, e));
        Assert.All(greedy, r => Assert.Null(r.Predictions["matbench_expt_gap"].Distribution));
        // Without distributions the probability of success is the point value's pass or fail.
        Assert.All(greedy, r => Assert.Equal(r.PassesFilters ? 1.0 : 0.0, r.SuccessProbability));

        // A median campaign over the same candidates is not served the greedy answers.
        var bySuccess = new RankingSpec(RankingMode.ProbabilityOfSuccess, []);
        var (_, median) = await RunAsync("median", candidates, PredictionEstimate.Median, bySuccess);
        Assert.Equal(24, _screening.Counter.Inputs);
        Assert.Equal(PredictionEstimate.Median, _screening.Counter.Estimates[^1]);
        var withDistribution = median.Select(r => r.Predictions["matbench_expt_gap"]).Where(p => p.Distribution is not null).ToList();
        Assert.NotEmpty(withDistribution);
        Assert.All(withDistribution, p => Assert.InRange(p.Value!.Value, p.Low!.Value, p.High!.Value));

        // Ranked by P(success): the score is that probability, best first, and every candidate is ranked.
        var top = await _screening.Campaign("median").GetTopAsync(12);
        Assert.Equal(12, top.Length);
        Assert.All(top, r => Assert.Equal(r.SuccessProbability, r.Score));
        Assert.Equal(top.Select(r => r.Score).OrderDescending(), top.Select(r => r.Score));

        // The same estimate again comes from the cache.
        var (again, _) = await RunAsync("median-again", candidates, PredictionEstimate.Median, bySuccess);
        Assert.Equal(24, _screening.Counter.Inputs);
        Assert.Equal(12, again.Cached);
    }
}

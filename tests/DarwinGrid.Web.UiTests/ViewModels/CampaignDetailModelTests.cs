using DarwinGrid.Grains.Campaigns;
using DarwinGrid.Web.Campaigns;
using DarwinGrid.Web.Formatting;
using DarwinGrid.Web.UiTests.Support;

namespace DarwinGrid.Web.UiTests.ViewModels;

[Collection(SiloCollection.Name)]
public sealed class CampaignDetailModelTests(SiloFixture silo)
{
    private static readonly RankingSpec Pareto = new(RankingMode.Pareto,
        [new Objective("band_gap", ObjectiveGoal.Target, 1.4), new Objective("is_metal", ObjectiveGoal.Minimize)]);

    [Fact]
    public async Task ServerSidePagingSortingAndFilteringMatchTheFullResultSet()
    {
        var compositions = Candidates.Create(120, seed: 30);
        var id = await silo.StartCampaignAsync("paging", compositions, Pareto, tasks: ["band_gap", "is_metal"]);
        await silo.WaitFinishedAsync(id);
        var model = new CampaignDetailModel(silo.Client);
        await model.LoadAsync(id);

        var pages = new List<CandidateResult>();
        for (var page = 0; page < 5; page++)
            pages.AddRange((await model.QueryAsync(new ResultGridRequest(page, 25, "matbench_expt_gap"))).Items);
        Assert.Equal(120, pages.Count);
        Assert.Equal(compositions.Order(StringComparer.Ordinal), pages.Select(r => r.Composition).Order(StringComparer.Ordinal));
        // The random model's answers do not always parse: those have no value and sort last.
        var values = pages.Select(r => r.Predictions["matbench_expt_gap"].Value).ToList();
        var gaps = values.OfType<double>().ToList();
        Assert.True(gaps.Count > 60, $"only {gaps.Count} of 120 band gaps parsed");
        Assert.Equal(gaps.Order(), values.Take(gaps.Count).Select(v => v!.Value));
        Assert.All(values.Skip(gaps.Count), v => Assert.Null(v));

        var descending = await model.QueryAsync(new ResultGridRequest(0, 10, "matbench_expt_gap", Descending: true));
        Assert.Equal(gaps.Max(), descending.Items[0].Predictions["matbench_expt_gap"].Value);

        var containing = await model.QueryAsync(new ResultGridRequest(0, 200, CompositionContains: "Pb"));
        Assert.Equal(compositions.Count(c => c.Contains("Pb")), containing.TotalCount);

        var (low, high) = (gaps[10], gaps[gaps.Count - 10]);
        var window = await model.QueryAsync(new ResultGridRequest(0, 200, Range: new PropertyFilter("band_gap", FilterOperator.Between, low, high)));
        Assert.Equal(gaps.Count(g => g >= low && g <= high), window.TotalCount);

        // Without a sort column the grid shows the ranking: Pareto fronts in order.
        var ranked = await model.QueryAsync(new ResultGridRequest(0, 120));
        Assert.Equal(0, ranked.Items[0].ParetoRank);
        Assert.Equal(ranked.Items.Select(r => r.ParetoRank ?? int.MaxValue).Order(), ranked.Items.Select(r => r.ParetoRank ?? int.MaxValue));
    }

    [Fact]
    public async Task ChartsCoverEveryResultAndTheTopCandidatesAreTheFirstFront()
    {
        var compositions = Candidates.Create(90, seed: 31);
        var id = await silo.StartCampaignAsync("charts", compositions, Pareto, tasks: ["band_gap", "is_metal"]);
        await silo.WaitFinishedAsync(id);
        var model = new CampaignDetailModel(silo.Client);
        await model.LoadAsync(id);

        var charts = await model.ChartsAsync();

        Assert.NotNull(charts);
        Assert.False(charts.IsPartial);
        var all = (await silo.Client.GetGrain<ICampaignGrain>(id).GetResultsAsync(new ResultQuery(0, 200))).Items;
        Assert.Equal(90, all.Length);
        var gaps = all.Count(r => r.Predictions["matbench_expt_gap"] is { Error: null, Value: not null });
        var metals = all.Count(r => r.Predictions["matbench_is_metal"] is { Error: null, Probability: not null });
        Assert.Equal(gaps, charts.HistogramOf("matbench_expt_gap").Total);
        Assert.Equal(metals, charts.HistogramOf("matbench_is_metal").Total);
        Assert.Equal(("matbench_expt_gap", "matbench_is_metal"), charts.DefaultAxes());
        Assert.Equal(1.4, charts.GoalOf("matbench_expt_gap").Target);
        Assert.False(charts.GoalOf("matbench_is_metal").Maximize);
        Assert.Equal(all.Count(r => r.Predictions["matbench_expt_gap"] is { Error: null, Value: not null } && r.Predictions["matbench_is_metal"] is { Error: null, Probability: not null }),
            charts.PointsOf("matbench_expt_gap", "matbench_is_metal").Count);

        Assert.True(model.IsRanked);
        var top = await model.TopAsync(10);
        Assert.NotEmpty(top);
        Assert.Equal(0, top[0].ParetoRank);
        Assert.All(top, r => Assert.False(string.IsNullOrEmpty(r.Predictions["matbench_expt_gap"].RawAnswer)));
    }

    [Fact]
    public async Task PauseResumeAndCancelFollowTheCampaignStateMachine()
    {
        var id = await silo.StartCampaignAsync("lifecycle", Candidates.Create(3000, seed: 2), Pareto, tasks: ["band_gap", "is_metal"]);
        var model = new CampaignDetailModel(silo.Client);
        await model.LoadAsync(id);
        Assert.True(model.CanPause);

        await model.PauseAsync();
        Assert.Equal(CampaignState.Paused, model.Status!.State);
        Assert.True(model.CanResume);
        Assert.False(model.CanPause);

        await model.ResumeAsync();
        Assert.Equal(CampaignState.Running, model.Status.State);

        await model.CancelAsync();
        Assert.Equal(CampaignState.Cancelled, model.Status.State);
        Assert.False(model.CanCancel);
        await Assert.ThrowsAsync<InvalidOperationException>(model.ResumeAsync);
    }

    [Fact]
    public async Task AnUnknownIdIsNotFound()
    {
        var model = new CampaignDetailModel(silo.Client);
        await model.LoadAsync("no-such-campaign");
        Assert.True(model.NotFound);
    }
}

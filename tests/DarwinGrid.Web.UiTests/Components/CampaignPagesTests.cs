using Bunit;
using DarwinGrid.Grains.Campaigns;
using DarwinGrid.Web.Charts;
using DarwinGrid.Web.Components.Pages;
using DarwinGrid.Web.UiTests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;

namespace DarwinGrid.Web.UiTests.Components;

[Collection(SiloCollection.Name)]
public sealed class CampaignPagesTests(SiloFixture silo)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static readonly RankingSpec Pareto = new(RankingMode.Pareto,
        [new Objective("band_gap", ObjectiveGoal.Maximize), new Objective("is_metal", ObjectiveGoal.Minimize)]);

    [Fact]
    public async Task TheCampaignListFollowsACampaignFromPausedToCompletedWithoutARefresh()
    {
        var id = await silo.StartCampaignAsync("live list", Candidates.Create(60, seed: 40), Pareto, tasks: ["band_gap", "is_metal"]);
        var campaign = silo.Client.GetGrain<ICampaignGrain>(id);
        await campaign.PauseAsync();
        await using var context = Dashboard.Create(silo);

        var page = context.Render<CampaignsPage>();
        page.WaitForAssertion(() => Assert.Contains("Paused", page.Find($"[data-campaign='{id}'] [data-testid=state]").TextContent), Patience);
        Assert.Equal("live list", page.Find($"[data-campaign='{id}'] a").TextContent);

        await campaign.ResumeAsync();

        page.WaitForAssertion(() => Assert.Contains("Completed", page.Find($"[data-campaign='{id}'] [data-testid=state]").TextContent), Patience);
        Assert.Contains("100%", page.Find($"[data-campaign='{id}']").TextContent);
    }

    [Fact]
    public async Task TheDetailPagePagesTheResultsAndPlotsEachPropertyAndTheParetoFront()
    {
        var id = await silo.StartCampaignAsync("detail", Candidates.Create(70, seed: 41), Pareto, tasks: ["band_gap", "is_metal"]);
        await silo.WaitFinishedAsync(id);
        await using var context = Dashboard.Create(silo);
        context.Render<MudBlazor.MudPopoverProvider>();

        var page = context.Render<CampaignDetailPage>(parameters => parameters.Add(p => p.Id, id));

        page.WaitForAssertion(() => Assert.Equal(25, page.FindAll("[data-testid=results-grid] tbody tr.mud-table-row").Count), Patience);
        Assert.Equal("detail", page.Find("[data-testid=campaign-title]").TextContent);
        Assert.Contains("/api/campaigns/" + id + "/export", page.Find("[data-testid=export]").GetAttribute("href"));
        Assert.Contains("1-25 of 70", page.Find(".mud-table-pagination").TextContent);
        Assert.Empty(page.FindAll("[data-testid=pause]"));

        // The charts tab: one histogram per property, and the scatter's highlighted points are exactly the non-dominated ones.
        await page.InvokeAsync(() => page.FindAll(".mud-tab")[1].Click());
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=histogram]").Count), Patience);
        var results = (await silo.Client.GetGrain<ICampaignGrain>(id).GetResultsAsync(new ResultQuery(0, 100))).Items;
        var points = results.Where(r => r.Predictions["matbench_expt_gap"] is { Error: null, Value: not null } && r.Predictions["matbench_is_metal"] is { Error: null, Probability: not null })
            .Select(r => (Gap: r.Predictions["matbench_expt_gap"].Value!.Value, Metal: r.Predictions["matbench_is_metal"].Probability!.Value)).ToList();
        var nonDominated = points.Count(p => !points.Any(q => q.Gap >= p.Gap && q.Metal <= p.Metal && (q.Gap > p.Gap || q.Metal < p.Metal)));
        Assert.Equal(nonDominated, page.FindAll("[data-testid=pareto-point]").Count);
    }

    [Fact]
    public async Task ACsvUploadShowsItsBadRowsAndCreatesTheCampaignOnceTheyAreSkipped()
    {
        var good = Candidates.Create(30, seed: 42);
        await using var context = Dashboard.Create(silo);
        context.Render<MudBlazor.MudPopoverProvider>();
        var page = context.Render<NewCampaignPage>();

        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(Candidates.Csv(good, ["Xx2O3"]), "screen-me.csv"));

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=bad-rows] tbody tr")), Patience);
        Assert.Contains("30 valid", page.Find("[data-testid=valid-count]").TextContent);
        Assert.Contains("Xx2O3", page.Find("[data-testid=bad-rows]").TextContent);
        Assert.True(page.Find("[data-testid=create]").HasAttribute("disabled"));

        page.Find("[data-testid=skip-bad] input").Change(true);
        page.WaitForAssertion(() => Assert.False(page.Find("[data-testid=create]").HasAttribute("disabled")));
        await page.InvokeAsync(() => page.Find("[data-testid=create]").Click());

        var navigation = context.Services.GetRequiredService<NavigationManager>();
        page.WaitForAssertion(() => Assert.Contains("/campaigns/web-", navigation.Uri), Patience);
        var id = Uri.UnescapeDataString(navigation.Uri[(navigation.Uri.LastIndexOf('/') + 1)..]);
        var status = await silo.WaitFinishedAsync(id);
        Assert.Equal(30, status.Candidates);
        Assert.Equal("screen-me", status.Name);
    }
}

using Bunit;
using DarwinGrid.Grains.Campaigns;
using System.Collections.Immutable;
using DarwinGrid.Grains.Models;
using DarwinGrid.Web.Components.Pages;
using DarwinGrid.Web.UiTests.Support;

namespace DarwinGrid.Web.UiTests.Components;

[Collection(SiloCollection.Name)]
public sealed class ClusterAndModelPagesTests(SiloFixture silo)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task TheModelsPageListsVersionsAndSetsTheDefault()
    {
        var other = $"other-{Guid.NewGuid():N}"[..14];
        await silo.Registry.RegisterAsync(new ModelVersionInfo(other, silo.ModelPath, [], "darwin", [], DateTimeOffset.UtcNow,
            Metrics: new Dictionary<string, System.Collections.Immutable.ImmutableDictionary<string, double>>
            {
                ["matbench_expt_gap"] = new Dictionary<string, double> { ["mae"] = 0.7044 }.ToImmutableDictionary(),
            }.ToImmutableDictionary()));
        try
        {
            await using var context = Dashboard.Create(silo);
            var page = context.Render<ModelsPage>();

            page.WaitForAssertion(() => Assert.NotNull(page.Find($"[data-version='{other}']")), Patience);
            Assert.Contains("0.704 eV", page.Find($"[data-version='{other}'] [data-testid=metrics]").TextContent);
            Assert.Contains(SiloFixture.Version, page.Find("[data-testid=default-version]").TextContent);

            await page.InvokeAsync(() => page.Find($"[data-version='{other}'] [data-testid=set-default]").Click());

            page.WaitForAssertion(() => Assert.Contains(other, page.Find("[data-testid=default-version]").TextContent), Patience);
            Assert.Equal(other, await silo.Registry.GetDefaultAsync("band_gap"));
        }
        finally
        {
            await silo.Registry.SetDefaultAsync(IModelRegistryGrain.AnyTask, SiloFixture.Version);
        }
    }

    [Fact]
    public async Task AViewerSeesModelsAndCampaignsButNoneOfTheOperatorActions()
    {
        var ranking = new RankingSpec(RankingMode.WeightedScore, [new Objective("band_gap", ObjectiveGoal.Maximize)]);
        var id = await silo.StartCampaignAsync("viewer", Candidates.Create(2000, seed: 44), ranking, tasks: ["band_gap"]);
        await silo.Client.GetGrain<ICampaignGrain>(id).PauseAsync();
        var other = $"view-{Guid.NewGuid():N}"[..12];
        await silo.Registry.RegisterAsync(new ModelVersionInfo(other, silo.ModelPath, [], "darwin", [], DateTimeOffset.UtcNow));
        await using var context = Dashboard.Create(silo, operatorRole: false);

        var models = context.Render<ModelsPage>();
        models.WaitForAssertion(() => Assert.NotNull(models.Find($"[data-version='{other}']")), Patience);
        Assert.Empty(models.FindAll("[data-testid=set-default]"));

        var detail = context.Render<CampaignDetailPage>(parameters => parameters.Add(p => p.Id, id));
        detail.WaitForAssertion(() => Assert.Contains("Paused", detail.Find(".page-header [data-testid=state]").TextContent), Patience);
        Assert.Empty(detail.FindAll("[data-testid=resume]"));
        Assert.Empty(detail.FindAll("[data-testid=cancel]"));
        Assert.NotNull(detail.Find("[data-testid=export]"));
        await silo.Client.GetGrain<ICampaignGrain>(id).CancelAsync();
    }

    [Fact]
    public async Task TheClusterPageShowsTheSiloItsDeviceAndTheModelGrain()
    {
        await using var context = Dashboard.Create(silo);
        var page = context.Render<ClusterPage>();

        page.WaitForAssertion(() => Assert.Contains("1 active", page.Find("[data-testid=active-silos]").TextContent), Patience);
        Assert.Contains("cpu0", page.Find("[data-testid=silos]").TextContent);
        Assert.Contains("Active", page.Find("[data-testid=silos]").TextContent);
        page.WaitForAssertion(() => Assert.Contains(SiloFixture.Version, page.Find("[data-testid=model-grains]").TextContent), Patience);
    }

    [Fact]
    public async Task TheOverviewShowsTheBestCandidatesOfTheLatestCompletedCampaign()
    {
        var ranking = new RankingSpec(RankingMode.WeightedScore, [new Objective("band_gap", ObjectiveGoal.Maximize)]);
        var id = await silo.StartCampaignAsync("overview", Candidates.Create(40, seed: 43), ranking, tasks: ["band_gap"]);
        await silo.WaitFinishedAsync(id);
        var best = await silo.Client.GetGrain<ICampaignGrain>(id).GetTopAsync(1);
        await using var context = Dashboard.Create(silo);

        var page = context.Render<OverviewPage>();

        // Other tests may finish campaigns meanwhile; wait until this one is the latest shown.
        page.WaitForAssertion(() => Assert.Contains(best[0].Composition, page.Find("[data-testid=latest-best]").TextContent), Patience);
        Assert.Contains("Band gap (eV)", page.Find("[data-testid=latest-best]").TextContent);
    }
}

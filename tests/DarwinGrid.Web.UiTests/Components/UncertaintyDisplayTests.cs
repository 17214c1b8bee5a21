using System.Collections.Immutable;
using Bunit;
using DarwinGrid.Grains.Campaigns;
using DarwinGrid.Web.Charts;
using DarwinGrid.Web.Components.Pages;
using DarwinGrid.Web.Components.Shared;
using DarwinGrid.Web.UiTests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace DarwinGrid.Web.UiTests.Components;

/// <summary>Prediction intervals and the probability of success as the dashboard shows them: ± in the grids, error bars in the charts.</summary>
[Collection(SiloCollection.Name)]
public sealed class UncertaintyDisplayTests(SiloFixture silo)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task TheScatterChartDrawsAnErrorBarForEachIntervalItHas()
    {
        await using var context = new BunitContext();
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        context.Services.AddMudServices();
        context.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        ScatterPoint[] points =
        [
            new("A", 1.0, 0.2, new Interval(0.6, 1.5), null),                 // one bar (x)
            new("B", 2.0, 0.5, new Interval(1.2, 2.4), new Interval(0.3, 0.6)), // two bars
            new("C", 1.5, 0.9),                                               // none
        ];

        var chart = context.Render<ScatterChart>(p => p.Add(c => c.Points, points).Add(c => c.Front, [1]).Add(c => c.XTask, "band_gap").Add(c => c.YTask, "is_metal"));

        Assert.Equal(3, chart.FindAll("[data-testid=error-bar]").Count);
        Assert.Contains("prediction interval", chart.Markup);
        Assert.Contains(chart.FindAll("circle title"), t => t.TextContent.Contains("[0.6, 1.5]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ACampaignRankedByTheProbabilityOfSuccessShowsItAndEachBandGapWithItsInterval()
    {
        var filters = ImmutableArray.Create(new PropertyFilter("band_gap", FilterOperator.Between, 0.5, 3.0));
        var id = await silo.StartCampaignAsync("uncertain", Candidates.Create(30, seed: 47), new RankingSpec(RankingMode.ProbabilityOfSuccess, []), filters, tasks: ["band_gap"]);
        await silo.WaitFinishedAsync(id);
        var results = (await silo.Client.GetGrain<ICampaignGrain>(id).GetResultsAsync(new ResultQuery(0, 100))).Items;
        var withInterval = results.Where(r => r.Predictions["matbench_expt_gap"] is { Error: null, Low: not null }).ToList();
        Assert.NotEmpty(withInterval); // the tiny model's distribution gives most answers an interval
        await using var context = Dashboard.Create(silo);
        context.Render<MudBlazor.MudPopoverProvider>();

        var page = context.Render<CampaignDetailPage>(parameters => parameters.Add(p => p.Id, id));

        page.WaitForAssertion(() => Assert.Equal(25, page.FindAll("[data-testid=results-grid] tbody tr.mud-table-row").Count), Patience);
        var grid = page.Find("[data-testid=results-grid]");
        Assert.Contains("P(success)", grid.TextContent);
        // The grid's first page is the 25 best by P(success): every candidate scored above the 26th is on
        // it whatever the order among ties (sampled distributions give many equal probabilities), and each
        // of its band gaps with an interval shows it as ± or +up/−down.
        var ordered = results.OrderByDescending(r => r.Score).ToList();
        var cut = ordered.Count > 25 ? ordered[25].Score : null;
        var surelyShown = ordered.Where(r => cut is null || r.Score > cut).ToList();
        Assert.NotEmpty(surelyShown);
        var rows = page.FindAll("[data-testid=results-grid] tbody tr.mud-table-row").Select(r => r.TextContent).ToList();
        foreach (var result in surelyShown.Where(r => r.Predictions["matbench_expt_gap"] is { Error: null, Low: not null }))
        {
            var row = Assert.Single(rows, r => r.Contains(result.Composition, StringComparison.Ordinal));
            Assert.True(row.Contains('±') || row.Contains("/−", StringComparison.Ordinal), $"no interval in '{row}'");
            Assert.Contains(result.Score!.Value.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture), row);
        }
    }
}

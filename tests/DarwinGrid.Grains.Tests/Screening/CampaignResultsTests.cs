using System.Globalization;
using DarwinGrid.Grains.Campaigns;
using DarwinGrid.Grains.Materials;
using DarwinGrid.Grains.Ranking;
using DarwinGrid.Grains.Tests.Storage;

namespace DarwinGrid.Grains.Tests.Screening;

/// <summary>A finished two-task campaign: filters, weighted and Pareto top-K, paged queries, CSV export, watch, material views.</summary>
[Collection(ScreeningCollection.Name)]
public sealed class CampaignResultsTests(TinyModel model) : IAsyncLifetime
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
    public async Task FinishedCampaignRanksFiltersPagesAndExportsItsResults()
    {
        var candidates = CandidateSet.Create(300, seed: 4);
        var definition = new CampaignDefinition("results", CandidateSource.FromList(candidates), ["band_gap", "is_metal"],
            [new PropertyFilter("is_metal", FilterOperator.AtMost, High: 0.999)],
            new RankingSpec(RankingMode.Pareto, [new Objective("band_gap", ObjectiveGoal.Maximize), new Objective("is_metal", ObjectiveGoal.Minimize)]));
        var campaign = _screening.Campaign("results");
        await campaign.CreateAsync(definition);
        await campaign.StartAsync();

        // The watch stream starts with the current status and ends with the finished one.
        var seen = new List<CampaignStatus>();
        await foreach (var status in campaign.WatchAsync().WithCancellation(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token))
            seen.Add(status);
        Assert.Equal(CampaignState.Completed, seen[^1].State);
        Assert.Equal(600, seen[^1].Done);
        Assert.True(seen.Select(s => s.Done).SequenceEqual(seen.Select(s => s.Done).Order()), "progress never goes back");

        var all = await campaign.GetResultsAsync(new ResultQuery(PageSize: 1000, SortBy: ResultSortKey.Composition, Descending: false));
        Assert.Equal(300, all.TotalCount);
        Assert.All(all.Items, r => Assert.Equal(["matbench_expt_gap", "matbench_is_metal"], r.Predictions.Keys.Order()));
        Assert.All(all.Items, r => Assert.Equal(r.Predictions["matbench_is_metal"].Probability <= 0.999, r.PassesFilters));
        Assert.Equal(all.Items.Select(r => r.Composition).Order(StringComparer.Ordinal), all.Items.Select(r => r.Composition));

        // Pareto: the top of the list is the front, and no passing candidate dominates a front member.
        var top = await campaign.GetTopAsync(20);
        Assert.All(top, r => Assert.True(r.PassesFilters));
        Assert.Equal(top.Select(r => r.ParetoRank ?? int.MaxValue).Order(), top.Select(r => r.ParetoRank ?? int.MaxValue));
        var scored = all.Items.Where(r => r.ParetoRank is not null).ToList();
        Assert.NotEmpty(scored);
        double[] Point(CandidateResult r) => [r.Predictions["matbench_expt_gap"].Value!.Value, -r.Predictions["matbench_is_metal"].Probability!.Value];
        foreach (var front in scored.Where(r => r.ParetoRank == 0))
            Assert.DoesNotContain(scored, other => ParetoSorter.Dominates(Point(other), Point(front)));
        Assert.Equal(0, top[0].ParetoRank);

        // Paging by a task's value, with an extra filter: pages join up to the whole filtered, sorted set.
        var query = new ResultQuery(PageSize: 40, SortBy: ResultSortKey.Task, SortTask: "band_gap", Descending: true,
            Filters: [new PropertyFilter("band_gap", FilterOperator.AtLeast, Low: Median(all))]);
        var pages = new List<CandidateResult>();
        for (var page = 0; ; page++)
        {
            var result = await campaign.GetResultsAsync(query with { Page = page });
            pages.AddRange(result.Items);
            if (result.Items.Length < 40)
                break;
        }
        var expected = all.Items.Where(r => r.Predictions["matbench_expt_gap"].Value >= Median(all))
            .OrderByDescending(r => r.Predictions["matbench_expt_gap"].Value).Select(r => r.Predictions["matbench_expt_gap"].Value);
        Assert.Equal(expected, pages.Select(r => r.Predictions["matbench_expt_gap"].Value));

        // Export: a header and one line per candidate, values as the queries report them.
        var lines = new List<string>();
        await foreach (var line in campaign.ExportCsvAsync())
            lines.Add(line);
        Assert.Equal(301, lines.Count);
        Assert.StartsWith("index,input,composition,passes_filters,score,pareto_rank,matbench_expt_gap,", lines[0]);
        var byComposition = all.Items.ToDictionary(r => r.Composition);
        foreach (var line in lines.Skip(1))
        {
            var fields = line.Split(',');
            var result = byComposition[fields[2]];
            Assert.Equal(result.PassesFilters ? "true" : "false", fields[3]);
            Assert.Equal(result.Predictions["matbench_expt_gap"].Value?.ToString("R", CultureInfo.InvariantCulture) ?? "", fields[6]);
            // Appended after the per-task columns: each task's interval, then P(every filter met).
            Assert.Equal(result.Predictions["matbench_expt_gap"].Low?.ToString("R", CultureInfo.InvariantCulture) ?? "", fields[^5]);
            Assert.Equal(result.Predictions["matbench_expt_gap"].High?.ToString("R", CultureInfo.InvariantCulture) ?? "", fields[^4]);
            Assert.Equal(result.SuccessProbability!.Value.ToString("R", CultureInfo.InvariantCulture), fields[^1]);
        }
        Assert.EndsWith(",matbench_expt_gap_low,matbench_expt_gap_high,matbench_is_metal_low,matbench_is_metal_high,success_probability", lines[0]);

        // A material's own view reads the same cached prediction.
        var material = await _screening.Client.GetGrain<IMaterialGrain>(candidates[0]).GetAsync();
        Assert.Equal(candidates[0], material.Composition);
        Assert.Equal(1.0, material.ElementFractions.Values.Sum(), 9);
        Assert.Contains(material.Predictions, p => p.Task == "matbench_expt_gap" && p.Value == byComposition[candidates[0]].Predictions["matbench_expt_gap"].Value);
        var single = await _screening.Client.GetGrain<IMaterialGrain>(candidates[0]).GetPredictionAsync("is_metal", ScreeningCluster.Version);
        Assert.Equal(byComposition[candidates[0]].Predictions["matbench_is_metal"].Label, single!.Label);
        await Assert.ThrowsAsync<ArgumentException>(() => _screening.Client.GetGrain<IMaterialGrain>("O3Fe2").GetAsync());
    }

    private static double Median(ResultPage page)
    {
        // The random model's answers do not always parse; those have no value.
        var values = page.Items.Select(r => r.Predictions["matbench_expt_gap"].Value).OfType<double>().Order().ToList();
        return values[values.Count / 2];
    }
}

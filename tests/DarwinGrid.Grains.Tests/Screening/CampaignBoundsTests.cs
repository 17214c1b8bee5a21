using System.Collections.Immutable;
using DarwinGrid.Domain.Elements;
using DarwinGrid.Grains.Campaigns;
using DarwinGrid.Grains.Tests.Storage;

namespace DarwinGrid.Grains.Tests.Screening;

/// <summary>
/// Bounded work (issue 17): the candidate cap per campaign (a small one here, configured as
/// DarwinGrid:Screening:MaxCandidatesPerCampaign would be), the caps on filters and objectives, a
/// cancel that stops a generator's ingestion and leaves the counts matching the store, and the
/// ingestion's progress in the status.
/// </summary>
[Collection(ScreeningCollection.Name)]
public sealed class CampaignBoundsTests(TinyModel model) : IAsyncLifetime
{
    private const long Cap = 500_000;
    private readonly TempDatabase _database = new();
    private ScreeningCluster _screening = null!;

    public async Task InitializeAsync() =>
        _screening = await ScreeningCluster.StartAsync(_database.FilePath, model.Path, configure: o => o.Screening.MaxCandidatesPerCampaign = Cap);

    public async Task DisposeAsync()
    {
        await _screening.DisposeAsync();
        _database.Dispose();
    }

    /// <summary>{A}{1-x}{B}{x}O3 with x = 0.001..0.999 over <paramref name="a"/> and <paramref name="b"/> elements (disjoint, no O): a × b × 999 candidates.</summary>
    private static CampaignDefinition Generator(string name, int a, int b)
    {
        var symbols = PeriodicTable.All.Select(e => e.Symbol).Where(s => s != "O").ToList();
        var spec = new CandidateGeneratorSpec("{A}{1-x}{B}{x}O3",
            [new GeneratorSite("A", [.. symbols.Take(a)]), new GeneratorSite("B", [.. symbols.Skip(a).Take(b)])],
            RequireChargeNeutral: false, Variables: [new DopingVariable("x", 0.001, 0.999, 0.001)]);
        return ScreeningCluster.Definition(name, []) with { Candidates = CandidateSource.FromGenerator(spec) };
    }

    [Fact]
    public async Task AGeneratorOverTheCapIsRefusedAtCreateNamingTheCountAndTheCap()
    {
        var campaign = _screening.Campaign("too-big");
        var error = await Assert.ThrowsAsync<ArgumentException>(() => campaign.CreateAsync(Generator("too-big", 20, 50))); // 999,000
        Assert.Contains("999,000", error.Message);
        Assert.Contains("500,000", error.Message);
        Assert.False(await _screening.Client.GetGrain<ICampaignDirectoryGrain>(ICampaignDirectoryGrain.Key).ExistsAsync("too-big"));
        Assert.Equal(0, await _screening.Store.CountCandidatesAsync("too-big"));
    }

    [Fact]
    public async Task AListAppendPastTheCapIsRefusedAndFiltersOrObjectivesOverTheirCapsToo()
    {
        var campaign = _screening.Campaign("list-cap");
        await campaign.CreateAsync(ScreeningCluster.Definition("list-cap", ["NaCl"]));
        var rows = Enumerable.Repeat("NaCl", (int)Cap).ToImmutableArray();
        var error = await Assert.ThrowsAsync<ArgumentException>(() => campaign.AppendCandidatesAsync(rows));
        Assert.Contains("500,001", error.Message);
        Assert.Equal(1, (await campaign.GetStatusAsync()).Candidates);

        var filters = Enumerable.Range(0, CampaignLimits.MaxFilters + 1).Select(i => new PropertyFilter("band_gap", FilterOperator.AtLeast, Low: i)).ToImmutableArray();
        var tooManyFilters = await Assert.ThrowsAsync<ArgumentException>(() => _screening.Campaign("filters").CreateAsync(ScreeningCluster.Definition("filters", ["NaCl"]) with { Filters = filters }));
        Assert.Contains($"{CampaignLimits.MaxFilters + 1} filters", tooManyFilters.Message);
        var objectives = Enumerable.Repeat(new Objective("band_gap", ObjectiveGoal.Maximize), CampaignLimits.MaxObjectives + 1).ToImmutableArray();
        var tooManyObjectives = await Assert.ThrowsAsync<ArgumentException>(() => _screening.Campaign("objectives").CreateAsync(ScreeningCluster.Definition("objectives", ["NaCl"]) with
        {
            Ranking = new RankingSpec(RankingMode.WeightedScore, objectives),
        }));
        Assert.Contains($"{CampaignLimits.MaxObjectives + 1} objectives", tooManyObjectives.Message);
    }

    [Fact]
    public async Task CancelStopsAGeneratorsIngestionAndLeavesTheCountsMatchingTheStore()
    {
        var campaign = _screening.Campaign("cancel-ingest");
        await campaign.CreateAsync(Generator("cancel-ingest", 20, 25)); // 499,500 candidates, under the cap
        await campaign.StartAsync();
        // The status shows the ingestion moving (issue 17: it showed 0 throughout).
        await Eventually.TrueAsync(async () => (await campaign.GetStatusAsync()).Candidates >= 10_000, TimeSpan.FromSeconds(60), "ingestion progress in the status");

        Assert.Equal(CampaignState.Cancelled, (await campaign.CancelAsync()).State);
        await Task.Delay(TimeSpan.FromSeconds(1));
        var stored = await _screening.Store.CountCandidatesAsync("cancel-ingest");
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(stored, await _screening.Store.CountCandidatesAsync("cancel-ingest"));
        Assert.InRange(stored, 10_000, 499_499);

        var status = await campaign.GetStatusAsync();
        Assert.Equal(CampaignState.Cancelled, status.State);
        Assert.Equal(stored, status.Candidates);
        Assert.Equal(0, status.Done);
    }
}

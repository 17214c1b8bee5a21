using System.Collections.Immutable;
using DarwinGrid.Grains.Campaigns;
using DarwinGrid.Grains.Models;
using DarwinGrid.Grains.Ranking;
using DarwinGrid.Grains.Storage;
using DarwinGrid.TestSupport.Servers;

namespace DarwinGrid.Grains.Tests.Storage;

/// <summary>
/// A seeded campaign stored once per test class in the provider's store; null when the provider's
/// server is not installed (the tests are skipped then).
/// </summary>
public abstract class StoredQueryCampaign : IAsyncLifetime
{
    public const string CampaignId = "query-campaign";

    public SyntheticCampaign Campaign { get; } = new(2500, seed: 11);
    public IResultStore Store { get; private set; } = null!;

    public ImmutableArray<PropertyFilter> CampaignFilters { get; } =
        [new("band_gap", FilterOperator.Between, 1.0, 3.0), new("is_metal", FilterOperator.IsNot, Label: "metal")];

    public ResultScope Scope => new(SyntheticCampaign.Tasks, CampaignFilters);

    protected abstract Task<IResultStore?> OpenStoreAsync();

    public async Task InitializeAsync()
    {
        if (await OpenStoreAsync() is { } store)
        {
            Store = store;
            await Campaign.StoreAsync(Store, CampaignId, batch: 700);
        }
    }

    public abstract Task DisposeAsync();
}

/// <summary>Every query the store answers in SQL is checked against LINQ over the same in-memory rows, for each provider.</summary>
public abstract class ResultQueryContract(StoredQueryCampaign fixture)
{
    private const string CampaignId = StoredQueryCampaign.CampaignId;
    private readonly StoredQueryCampaign _fixture = fixture;

    public static TheoryData<ResultSortKey, string?, bool> Sorts => new()
    {
        { ResultSortKey.Score, null, true },
        { ResultSortKey.Score, null, false },
        { ResultSortKey.ParetoRank, null, false },
        { ResultSortKey.ParetoRank, null, true },
        { ResultSortKey.Composition, null, false },
        { ResultSortKey.Composition, null, true },
        { ResultSortKey.Task, "band_gap", true },
        { ResultSortKey.Task, "formation_energy", false },
        { ResultSortKey.Task, "is_metal", true },
    };

    [ServerTheory]
    [MemberData(nameof(Sorts))]
    public async Task SortedPagesMatchLinq(ResultSortKey sortBy, string? sortTask, bool descending)
    {
        foreach (var page in (int[])[0, 7, 49, 50])
        {
            var query = new ResultQuery(page, 50, sortBy, sortTask, descending);
            await AssertMatchesLinq(query);
        }
    }

    public static TheoryData<string> FilterSets => new()
    {
        "between", "atleast", "atmost", "is", "isnot", "combined", "contains", "passing", "passing+contains+sort", "nothing-matches",
    };

    [ServerTheory]
    [MemberData(nameof(FilterSets))]
    public async Task FilteredPagesMatchLinq(string name)
    {
        ResultQuery query = name switch
        {
            "between" => new(Filters: [new("band_gap", FilterOperator.Between, 1.2, 2.5)]),
            "atleast" => new(Filters: [new("formation_energy", FilterOperator.AtLeast, 0.5)], SortBy: ResultSortKey.Composition, Descending: false),
            "atmost" => new(Filters: [new("is_metal", FilterOperator.AtMost, High: 0.3)]),
            "is" => new(Filters: [new("is_metal", FilterOperator.Is, Label: "metal")], PageSize: 100, Page: 2),
            "isnot" => new(Filters: [new("is_metal", FilterOperator.IsNot, Label: "metal")]),
            "combined" => new(Filters: [new("band_gap", FilterOperator.AtLeast, 1.0), new("formation_energy", FilterOperator.AtMost, High: 0.0),
                new("is_metal", FilterOperator.Is, Label: "nonmetal")], SortBy: ResultSortKey.Task, SortTask: "formation_energy", Descending: false),
            "contains" => new(CompositionContains: "Pb", PageSize: 20, Page: 3),
            "passing" => new(OnlyPassingFilters: true, PageSize: 30),
            "passing+contains+sort" => new(OnlyPassingFilters: true, CompositionContains: "Br", SortBy: ResultSortKey.Task, SortTask: "band_gap", Descending: false),
            "nothing-matches" => new(Filters: [new("band_gap", FilterOperator.Between, 100, 200)]),
            _ => throw new ArgumentException(name),
        };
        foreach (var page in (int[])[query.Page, query.Page + 1, 0])
            await AssertMatchesLinq(query with { Page = page });
    }

    [ServerFact]
    public async Task APageBeyondTheEndIsEmptyButCountsTheMatches()
    {
        var result = await _fixture.Store.QueryResultsAsync(CampaignId, _fixture.Scope, new ResultQuery(Page: 1000, PageSize: 50));
        Assert.Empty(result.Items);
        Assert.Equal(_fixture.Campaign.Candidates.Count, result.TotalCount);
    }

    [ServerFact]
    public async Task QueriesNamingTasksOutsideTheScopeAreRejected()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => _fixture.Store.QueryResultsAsync(CampaignId, _fixture.Scope,
            new ResultQuery(Filters: [new("density", FilterOperator.AtLeast, 1)])));
        Assert.Contains("density", error.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => _fixture.Store.QueryResultsAsync(CampaignId, _fixture.Scope,
            new ResultQuery(SortBy: ResultSortKey.Task, SortTask: null)));
        await Assert.ThrowsAsync<ArgumentException>(() => _fixture.Store.QueryResultsAsync(CampaignId, _fixture.Scope,
            new ResultQuery(Filters: [new("band_gap", FilterOperator.Between, Low: 1)])));
        await Assert.ThrowsAsync<ArgumentException>(() => _fixture.Store.QueryResultsAsync(CampaignId, _fixture.Scope, new ResultQuery(PageSize: 0)));
    }

    [ServerFact]
    public async Task AnUnknownCampaignHasNoResults()
    {
        var result = await _fixture.Store.QueryResultsAsync("nope", _fixture.Scope, new ResultQuery());
        Assert.Empty(result.Items);
        Assert.Equal(0, result.TotalCount);
    }

    private async Task AssertMatchesLinq(ResultQuery query)
    {
        var campaign = _fixture.Campaign;
        var filters = query.Filters.IsDefault ? [] : query.Filters;
        var matching = Enumerable.Range(0, campaign.Candidates.Count)
            .Where(i => PredictionFilters.Passes(campaign.Predictions[i], filters))
            .Where(i => !query.OnlyPassingFilters || PredictionFilters.Passes(campaign.Predictions[i], _fixture.CampaignFilters))
            .Where(i => query.CompositionContains is null || campaign.Candidates[i].Composition.Contains(query.CompositionContains, StringComparison.Ordinal))
            .ToList();

        IComparer<int> order = query.SortBy switch
        {
            ResultSortKey.Composition => Comparer<int>.Create((a, b) => Directed(string.CompareOrdinal(campaign.Candidates[a].Composition, campaign.Candidates[b].Composition), query.Descending)),
            ResultSortKey.Score => NullsLast(i => campaign.Scores[i].Score, query.Descending),
            ResultSortKey.ParetoRank => NullsLast(i => campaign.Scores[i].ParetoRank, query.Descending),
            ResultSortKey.Task => NullsLast(i => campaign.Predictions[i].TryGetValue(query.SortTask!, out var p) ? PredictionFilters.NumericValue(p) : null, query.Descending),
            _ => throw new ArgumentOutOfRangeException(nameof(query)),
        };
        var expected = matching.Order(Comparer<int>.Create((a, b) => order.Compare(a, b) is var c && c != 0 ? c : a.CompareTo(b)))
            .Skip(query.Page * query.PageSize).Take(query.PageSize).ToList();

        var page = await _fixture.Store.QueryResultsAsync(CampaignId, _fixture.Scope, query);

        Assert.Equal(matching.Count, page.TotalCount);
        Assert.Equal(expected.Select(i => campaign.Candidates[i].Input), page.Items.Select(r => r.Input));
        foreach (var (index, item) in expected.Zip(page.Items))
        {
            Assert.Equal(campaign.Candidates[index].Composition, item.Composition);
            Assert.Equal(campaign.Scores[index].Score, item.Score);
            Assert.Equal(campaign.Scores[index].ParetoRank, item.ParetoRank);
            Assert.Equal(PredictionFilters.Passes(campaign.Predictions[index], _fixture.CampaignFilters), item.PassesFilters);
            Assert.Equal(campaign.Predictions[index].Keys.Order(), item.Predictions.Keys.Order());
            foreach (var (task, prediction) in campaign.Predictions[index])
                PredictionAssert.Same(prediction, item.Predictions[task]);
        }
        Assert.True(matching.Count == 0 || query.Page > 0 || page.Items.Length > 0, "the first page of a non-empty result is not empty");
    }

    private static int Directed(int comparison, bool descending) => descending ? -comparison : comparison;

    private static IComparer<int> NullsLast<T>(Func<int, T?> key, bool descending) where T : struct, IComparable<T> =>
        Comparer<int>.Create((a, b) => (key(a), key(b)) switch
        {
            (null, null) => 0,
            (null, _) => 1,
            (_, null) => -1,
            ({ } x, { } y) => Directed(x.CompareTo(y), descending),
        });
}

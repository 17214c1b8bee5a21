using System.Diagnostics;
using DarwinGrid.Grains.Campaigns;
using DarwinGrid.Grains.Models;
using DarwinGrid.Grains.Ranking;
using DarwinGrid.Grains.Storage;
using DarwinGrid.TestSupport;
using Xunit.Abstractions;

namespace DarwinGrid.Grains.Tests.Storage;

/// <summary>Write rates and a million-candidate campaign; slow, run with <c>--filter Category=Slow</c>.</summary>
[Trait("Category", TestCategories.Slow)]
public sealed class ResultStoreScaleTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private static Prediction BandGap(long i) => new("band_gap", "v1", (i * 7919 % 4000) / 1000.0, null, null, " 1.51", Spread: 0.05);

    private static Prediction Metal(long i) => (i * 31 % 10) / 10.0 is var p
        ? new Prediction("is_metal", "v1", null, p >= 0.5 ? "metal" : "nonmetal", p, " metal", null,
            System.Collections.Immutable.ImmutableDictionary<string, double>.Empty.Add("metal", p).Add("nonmetal", 1 - p))
        : throw new InvalidOperationException();

    [Theory]
    [InlineData(100)]
    [InlineData(1000)]
    [InlineData(5000)]
    public async Task MeasureBatchedResultUpsertRate(int batch)
    {
        var store = new SqliteResultStore(new SqliteResultStoreOptions { DatabasePath = _database.FilePath, WriteBatchSize = batch });
        await store.InitializeAsync();
        const int rows = 200_000;
        var data = Enumerable.Range(0, rows).Select(i => new ResultRow(i, BandGap(i), Cached: i % 5 == 0)).ToArray();

        output.WriteLine(await UpsertRate.MeasureAsync(store, data, batch));
    }

    [Fact]
    public async Task AMillionCandidateCampaign()
    {
        const int n = 1_000_000;
        var store = new SqliteResultStore(new SqliteResultStoreOptions { DatabasePath = _database.FilePath });
        await store.InitializeAsync();
        var watch = Stopwatch.StartNew();
        void Lap(string what)
        {
            output.WriteLine($"{what,-55} {watch.Elapsed.TotalSeconds,7:F2} s");
            watch.Restart();
        }

        string[] elements = ["Ag", "B", "Br", "Cs", "Pb", "I", "Sn", "Cl"];
        foreach (var chunk in Enumerable.Range(0, n).Chunk(10_000))
        {
            await store.AppendCandidatesAsync("big", chunk.Select(i =>
                new CandidateRow(i, $"row{i}", $"{elements[i % 8]}{i % 7 + 1}{elements[i / 8 % 8]}{i % 13 + 1}")).ToArray());
        }
        Lap("append 1e6 candidates");
        foreach (var chunk in Enumerable.Range(0, n).Chunk(10_000))
            await store.UpsertResultsAsync("big", chunk.Select(i => new ResultRow(i, BandGap(i))).ToArray());
        Lap("upsert 1e6 band-gap results");
        foreach (var chunk in Enumerable.Range(0, n).Chunk(10_000))
            await store.UpsertResultsAsync("big", chunk.Select(i => new ResultRow(i, Metal(i))).ToArray());
        Lap("upsert 1e6 is-metal results");

        var calculator = new RankingCalculator(new RankingSpec(RankingMode.Pareto,
            [new Objective("band_gap", ObjectiveGoal.Target, Target: 1.5), new Objective("is_metal", ObjectiveGoal.Maximize, Label: "nonmetal")]));
        var inputs = await store.ReadAllResultsAsync("big")
            .Select(c => new RankingInput(c.Index, c.Results.ToDictionary(r => r.Prediction.Task, r => r.Prediction)))
            .ToListAsync();
        Lap("export stream of 1e6 candidates (2e6 results)");
        var scores = calculator.Rank(inputs);
        Lap("rank 1e6 (weighted score + 2D Pareto)");
        foreach (var chunk in scores.Chunk(10_000))
            await store.UpsertScoresAsync("big", chunk);
        Lap("upsert 1e6 scores");

        Assert.Equal(new TaskCounts(n, 0, 0), await store.GetTaskCountsAsync("big", "band_gap"));
        Lap("task counts");

        var scope = new ResultScope([new TaskModel("band_gap", "v1"), new TaskModel("is_metal", "v1")],
            [new PropertyFilter("band_gap", FilterOperator.Between, 1.1, 1.8), new PropertyFilter("is_metal", FilterOperator.Is, Label: "nonmetal")]);
        var top = await store.QueryResultsAsync("big", scope, new ResultQuery(PageSize: 50, SortBy: ResultSortKey.Score));
        Lap("page 0 by score (no filter)");
        Assert.Equal(n, top.TotalCount);
        Assert.Equal(scores.Max(s => s.Score), top.Items[0].Score);

        var passing = await store.QueryResultsAsync("big", scope, new ResultQuery(PageSize: 50, OnlyPassingFilters: true, SortBy: ResultSortKey.ParetoRank, Descending: false));
        Lap("page 0 passing campaign filters by Pareto rank");
        Assert.All(passing.Items, item => Assert.True(item.PassesFilters));
        output.WriteLine($"  passing: {passing.TotalCount:N0}");

        var deep = await store.QueryResultsAsync("big", scope, new ResultQuery(Page: 4_000, PageSize: 50, SortBy: ResultSortKey.Task, SortTask: "band_gap", CompositionContains: "Pb"));
        Lap("page 4000 by band gap, composition contains Pb");
        Assert.Equal(50, deep.Items.Length);

        var byComposition = await store.QueryResultsAsync("big", scope, new ResultQuery(PageSize: 50, SortBy: ResultSortKey.Composition, Descending: false));
        Lap("page 0 by composition");
        Assert.Equal(50, byComposition.Items.Length);

        output.WriteLine($"database size {new FileInfo(_database.FilePath).Length / 1e6:N0} MB (+ WAL)");
        await store.DeleteCampaignAsync("big");
        Lap("delete campaign");
        Assert.Equal(0, await store.CountResultRowsAsync("big"));
    }
}

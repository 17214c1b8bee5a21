using System.Collections.Immutable;
using DarwinGrid.Grains.Campaigns;
using DarwinGrid.Grains.Models;
using DarwinGrid.Grains.Ranking;
using DarwinGrid.Grains.Storage;
using DarwinGrid.TestSupport.Servers;

namespace DarwinGrid.Grains.Tests.Storage;

/// <summary>
/// What every <see cref="IResultStore"/> must do, run against each implementation (a subclass per
/// provider supplies the store over a fresh database).
/// </summary>
public abstract class ResultStoreContract
{
    private IResultStore? _current;

    /// <summary>The store under test, over the test's own database.</summary>
    protected IResultStore Store => _current ??= OpenStore();

    /// <summary>A new store instance over the test's database (another silo's, as it were).</summary>
    protected abstract IResultStore OpenStore();

    /// <summary>Gives the test's database the results schema as version 1 left it (in the store's dialect), then runs <paramref name="seedSql"/> on it.</summary>
    private async Task CreateVersionOneDatabaseAsync(string seedSql)
    {
        var database = ((SqlResultStore)OpenStore()).Database;
        await database.MigrateAsync("results", [database.Dialect.ResultsMigrations[0]], CancellationToken.None);
        await database.RunAsync("seed", (connection, ct) => connection.Command(seedSql).ExecuteAndDisposeAsync(ct), CancellationToken.None);
    }

    /// <summary>The applied results schema version.</summary>
    private Task<int> ResultsSchemaVersionAsync() => ((SqlResultStore)OpenStore()).Database.ReadSchemaVersionAsync("results");

    [ServerFact]
    public async Task CandidatesAreStoredOncePerIndexAndReadInPages()
    {
        var rows = Enumerable.Range(0, 2500).Select(i => new CandidateRow(i, $"in{i}", $"Cs{i}PbI3")).ToList();
        await Store.AppendCandidatesAsync("c1", rows);
        await Store.AppendCandidatesAsync("c1", rows.Skip(1000).Take(700).ToList()); // a retried chunk

        Assert.Equal(2500, await Store.CountCandidatesAsync("c1"));
        var page = await Store.ReadCandidatesAsync("c1", 1998, 5);
        Assert.Equal(rows.Skip(1998).Take(5), page);
        Assert.Equal(rows.Skip(2490), await Store.ReadCandidatesAsync("c1", 2490, 100));
        Assert.Empty(await Store.ReadCandidatesAsync("c1", 2500, 100));

        Assert.Equal(0, await Store.CountCandidatesAsync("c2"));
        Assert.Empty(await Store.ReadCandidatesAsync("never-written", 0, 10));
    }

    [ServerFact]
    public async Task RejectedCandidatesAreStoredAndListed()
    {
        RejectedCandidate[] rejected = [new(3, "Xx2", "unknown element 'Xx'"), new(10, "", "empty composition"), new(7, "Cs(", "unbalanced parenthesis")];
        await Store.AppendRejectedAsync("c1", rejected);
        await Store.AppendRejectedAsync("c1", rejected[..1]);

        Assert.Equal(3, await Store.CountRejectedAsync("c1"));
        Assert.Equal(rejected.OrderBy(r => r.Row), await Store.ReadRejectedAsync("c1", 0, 10));
        Assert.Equal([rejected[2], rejected[1]], await Store.ReadRejectedAsync("c1", 4, 10));
        Assert.Equal([rejected[0]], await Store.ReadRejectedAsync("c1", 0, 1));
    }

    [ServerFact]
    public async Task TenThousandResultsInBatchesGiveTheRightCounts()
    {
        var campaign = new SyntheticCampaign(4000, seed: 1);
        Assert.InRange(campaign.Results.Count, 10_000, 12_000);
        await campaign.StoreAsync(Store, "c1");

        Assert.Equal(campaign.Results.Count, await Store.CountResultRowsAsync("c1"));
        foreach (var task in SyntheticCampaign.Tasks)
        {
            var mine = campaign.Results.Where(r => r.Prediction.Task == task.Task).ToList();
            var counts = await Store.GetTaskCountsAsync("c1", task.Task);
            Assert.Equal(new TaskCounts(mine.Count, mine.Count(r => r.Prediction.Error is not null), mine.Count(r => r.Cached)), counts);
            Assert.Equal(counts, await Store.GetTaskCountsAsync("c1", task.Task, task.ModelVersion));
            Assert.Equal(new TaskCounts(0, 0, 0), await Store.GetTaskCountsAsync("c1", task.Task, "other-version"));
        }

        var completed = await Store.ReadCompletedIndexesAsync("c1", SyntheticCampaign.BandGap, 100, 200);
        var expected = campaign.Results.Where(r => r.Prediction.Task == "band_gap" && r.CandidateIndex is >= 100 and < 200).Select(r => r.CandidateIndex);
        Assert.Equal(expected, completed);
    }

    [ServerFact]
    public async Task ReUpsertingLeavesExactlyOneRowPerKeyWithTheLastValues()
    {
        var campaign = new SyntheticCampaign(3000, seed: 2);
        await campaign.StoreAsync(Store, "c1");
        var before = await Store.CountResultRowsAsync("c1");

        // A retried batch, partly with new answers, then the whole set again.
        var retried = campaign.Results.Skip(500).Take(1500)
            .Select(r => r with { Prediction = r.Prediction with { RawAnswer = "retry" }, Cached = true }).ToList();
        await Store.UpsertResultsAsync("c1", retried);
        await Store.UpsertResultsAsync("c1", retried);

        Assert.Equal(before, await Store.CountResultRowsAsync("c1"));
        Assert.Empty(await Store.FindDuplicateResultKeysAsync("c1"));
        var all = await Store.ReadAllResultsAsync("c1").SelectMany(c => c.Results.ToAsyncEnumerable()).ToListAsync();
        Assert.Equal(before, all.Count);
        Assert.Equal(1500, all.Count(r => r.Prediction.RawAnswer == "retry"));
        Assert.True(all.Where(r => r.Prediction.RawAnswer == "retry").All(r => r.Cached));
    }

    [ServerFact]
    public async Task CacheLookupReturnsOnlyTheHitsOfTheRequestedTaskAndVersion()
    {
        var stored = Enumerable.Range(0, 3000).Select(i => new CachedPrediction($"Comp{i}",
            new Prediction("band_gap", "v1", i / 100.0, null, null, $" {i / 100.0}"), PredictionEstimate.Median)).ToList();
        await Store.UpsertPredictionsAsync(stored);
        await Store.UpsertPredictionsAsync([new CachedPrediction("Comp1", new Prediction("band_gap", "v2", 9.9, null, null, " 9.9"), PredictionEstimate.Median)]);
        await Store.UpsertPredictionsAsync([new CachedPrediction("Comp1", new Prediction("is_metal", "v1", null, "metal", 0.9, " metal", null,
            ImmutableDictionary<string, double>.Empty.Add("metal", 0.9).Add("nonmetal", 0.1)), PredictionEstimate.Median)]);

        var wanted = Enumerable.Range(2500, 1000).Select(i => $"Comp{i}").ToList(); // half are cached
        var hits = await Store.GetCachedPredictionsAsync("band_gap", "v1", PredictionEstimate.Median, wanted);
        Assert.Equal(500, hits.Count);
        foreach (var i in Enumerable.Range(2500, 500))
            PredictionAssert.Same(stored[i].Prediction, hits[$"Comp{i}"]);

        Assert.Equal(9.9, (await Store.GetCachedPredictionsAsync("band_gap", "v2", PredictionEstimate.Median, ["Comp1", "Comp2"]))["Comp1"].Value);
        var metal = (await Store.GetCachedPredictionsAsync("is_metal", "v1", PredictionEstimate.Median, ["Comp1"]))["Comp1"];
        Assert.Equal(0.9, metal.LabelProbabilities!["metal"]);
        Assert.Empty(await Store.GetCachedPredictionsAsync("is_metal", "v2", PredictionEstimate.Median, ["Comp1"]));
        Assert.Empty(await Store.GetCachedPredictionsAsync("band_gap", "v1", PredictionEstimate.Median, []));
    }

    [ServerFact]
    public async Task CacheLookupTakesMoreCompositionsThanSqliteHasVariablesInOneCall()
    {
        await Store.UpsertPredictionsAsync([new CachedPrediction("Comp39999", new Prediction("band_gap", "v1", 1.5, null, null, " 1.5"), PredictionEstimate.Median)]);
        var wanted = Enumerable.Range(0, 40_000).Select(i => $"Comp{i}").ToList();
        var hits = await Store.GetCachedPredictionsAsync("band_gap", "v1", PredictionEstimate.Median, wanted);
        Assert.Equal(1.5, Assert.Single(hits).Value.Value);
    }

    [ServerFact]
    public async Task ExportStreamsEveryCandidateWithAllItsResultsAcrossPages()
    {
        var campaign = new SyntheticCampaign(4500, seed: 3);
        await campaign.StoreAsync(Store, "c1");

        var exported = await Store.ReadAllResultsAsync("c1").ToListAsync();
        Assert.Equal(campaign.Candidates.Select(c => c.Index), exported.Select(e => e.Index));
        var resultsByCandidate = campaign.Results.ToLookup(r => r.CandidateIndex);
        foreach (var row in exported)
        {
            var candidate = campaign.Candidates[(int)row.Index];
            Assert.Equal((candidate.Input, candidate.Composition), (row.Input, row.Composition));
            Assert.Equal(campaign.Scores[(int)row.Index].Score, row.Score);
            Assert.Equal(campaign.Scores[(int)row.Index].ParetoRank, row.ParetoRank);
            var expected = resultsByCandidate[row.Index].OrderBy(r => r.Prediction.Task, StringComparer.Ordinal).ToList();
            var actual = row.Results.OrderBy(r => r.Prediction.Task, StringComparer.Ordinal).ToList();
            Assert.Equal(expected.Count, actual.Count);
            for (var i = 0; i < expected.Count; i++)
            {
                Assert.Equal(expected[i].Cached, actual[i].Cached);
                PredictionAssert.Same(expected[i].Prediction, actual[i].Prediction);
            }
        }
        Assert.Empty(await Store.ReadAllResultsAsync("unknown").ToListAsync());
    }

    [ServerFact]
    public async Task DeleteCampaignRemovesItsRowsOnlyAndTheIdCanBeReused()
    {
        await new SyntheticCampaign(300, seed: 4).StoreAsync(Store, "gone");
        await new SyntheticCampaign(200, seed: 5).StoreAsync(Store, "kept");
        await Store.AppendRejectedAsync("gone", [new RejectedCandidate(0, "Q", "bad")]);
        await Store.UpsertPredictionsAsync([new CachedPrediction("CsPbI3", new Prediction("band_gap", "v1", 1.7, null, null, " 1.7"), PredictionEstimate.Median)]);
        var keptRows = await Store.CountResultRowsAsync("kept");

        await Store.DeleteCampaignAsync("gone");

        Assert.Equal(0, await Store.CountCandidatesAsync("gone"));
        Assert.Equal(0, await Store.CountResultRowsAsync("gone"));
        Assert.Equal(0, await Store.CountRejectedAsync("gone"));
        Assert.Empty(await Store.ReadAllResultsAsync("gone").ToListAsync());
        Assert.Equal(200, await Store.CountCandidatesAsync("kept"));
        Assert.Equal(keptRows, await Store.CountResultRowsAsync("kept"));
        Assert.Single(await Store.GetCachedPredictionsAsync("band_gap", "v1", PredictionEstimate.Median, ["CsPbI3"]));

        await Store.AppendCandidatesAsync("gone", [new CandidateRow(0, "x", "NaCl")]);
        Assert.Equal(1, await Store.CountCandidatesAsync("gone"));
        Assert.Equal(0, await Store.CountResultRowsAsync("gone"));
    }

    [ServerFact]
    public async Task ScoresAreUpsertedAndCleared()
    {
        await Store.AppendCandidatesAsync("c1", [new CandidateRow(0, "a", "NaCl"), new CandidateRow(1, "b", "KCl")]);
        await Store.UpsertScoresAsync("c1", [new CandidateScore(0, 0.2, 1), new CandidateScore(1, 0.9, 0)]);
        await Store.UpsertScoresAsync("c1", [new CandidateScore(0, 0.95, 0)]);
        var exported = await Store.ReadAllResultsAsync("c1").ToListAsync();
        Assert.Equal([(0.95, 0), (0.9, 0)], exported.Select(e => (e.Score!.Value, e.ParetoRank!.Value)));

        await Store.ClearScoresAsync("c1");
        Assert.All(await Store.ReadAllResultsAsync("c1").ToListAsync(), e => Assert.Null(e.Score));
    }

    [ServerFact]
    public async Task BadRowsAreRejectedWithAMessageNamingThem()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            Store.AppendCandidatesAsync("c1", [new CandidateRow(0, "ok", "NaCl"), new CandidateRow(-1, "bad", "KCl")]));
        Assert.Contains("Candidate 1", error.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => Store.AppendCandidatesAsync(" ", [new CandidateRow(0, "ok", "NaCl")]));
        await Assert.ThrowsAsync<ArgumentException>(() =>
            Store.UpsertResultsAsync("c1", [new ResultRow(0, new Prediction("", "v1", 1, null, null, ""))]));
        Assert.Equal(0, await Store.CountCandidatesAsync("c1"));
    }

    [ServerFact]
    public async Task TwoStoresOnOneDatabaseWriteConcurrentlyWithoutLosingRows()
    {
        var other = OpenStore();
        var a = new SyntheticCampaign(2000, seed: 6);
        var b = new SyntheticCampaign(2000, seed: 7);
        await Task.WhenAll(a.StoreAsync(Store, "a", batch: 100), b.StoreAsync(other, "b", batch: 100));
        Assert.Equal(a.Results.Count, await other.CountResultRowsAsync("a"));
        Assert.Equal(b.Results.Count, await Store.CountResultRowsAsync("b"));
    }

    [ServerFact]
    public async Task ConcurrentWritersOfOverlappingBatchesLeaveExactlyOneRowPerKey()
    {
        // Four silos retrying the same work in different orders and slices: every key stored once, none lost, no deadlock surfaces.
        var campaign = new SyntheticCampaign(2500, seed: 8);
        await Store.AppendCandidatesAsync("c1", campaign.Candidates);
        var writers = Enumerable.Range(0, 4).Select(w =>
        {
            var store = OpenStore();
            var order = campaign.Results.OrderBy(_ => Random.Shared.Next()).ToList();
            return Task.Run(async () =>
            {
                foreach (var chunk in order.Chunk(300 + 100 * w))
                    await store.UpsertResultsAsync("c1", chunk);
            });
        });
        await Task.WhenAll(writers);

        Assert.Equal(campaign.Results.Count, await Store.CountResultRowsAsync("c1"));
        Assert.Empty(await Store.FindDuplicateResultKeysAsync("c1"));
        foreach (var task in SyntheticCampaign.Tasks)
        {
            var expected = campaign.Results.Where(r => r.Prediction.Task == task.Task).Select(r => r.CandidateIndex).Order();
            Assert.Equal(expected, await Store.ReadCompletedIndexesAsync("c1", task, 0, 2500));
        }
    }

    [ServerFact]
    public async Task AKeyRepeatedInOneBatchKeepsItsLastRow()
    {
        await Store.UpsertResultsAsync("c1",
        [
            new ResultRow(5, new Prediction("band_gap", "v1", 1.0, null, null, " 1.0")),
            new ResultRow(6, new Prediction("band_gap", "v1", 2.0, null, null, " 2.0")),
            new ResultRow(5, new Prediction("band_gap", "v1", 3.0, null, null, " 3.0"), Cached: true),
        ]);
        await Store.AppendCandidatesAsync("c1", [new CandidateRow(5, "a", "NaCl"), new CandidateRow(6, "b", "KCl"), new CandidateRow(5, "c", "LiF")]);

        var exported = await Store.ReadAllResultsAsync("c1").ToListAsync();
        Assert.Equal(["c", "b"], exported.Select(e => e.Input));
        var five = Assert.Single(exported[0].Results);
        Assert.Equal((3.0, true), (five.Prediction.Value!.Value, five.Cached));
        Assert.Equal(2, await Store.CountResultRowsAsync("c1"));
    }

    private static readonly PredictedDistribution GapDistribution = new([0.0, 1.2, 1.5, 2.25], [0.1, 0.3, 0.4, 0.2], 0.97);

    private static Prediction GapWithInterval(string version, double value) =>
        new("band_gap", version, value, null, null, $" {value}", Low: 0.0, High: 2.25, Distribution: GapDistribution);

    [ServerFact]
    public async Task IntervalsAndDistributionsRoundTripThroughResultsAndCache()
    {
        await Store.AppendCandidatesAsync("c1", [new CandidateRow(0, "NaCl", "NaCl"), new CandidateRow(1, "KCl", "KCl")]);
        await Store.UpsertResultsAsync("c1", [new ResultRow(0, GapWithInterval("v1", 1.5)), new ResultRow(1, new Prediction("band_gap", "v1", 2.0, null, null, " 2.0"))]);
        await Store.UpsertPredictionsAsync([new CachedPrediction("NaCl", GapWithInterval("v1", 1.5), PredictionEstimate.Median)]);

        var exported = await Store.ReadAllResultsAsync("c1").ToListAsync();
        var stored = exported[0].Results.Single().Prediction;
        Assert.Equal((0.0, 2.25), (stored.Low, stored.High));
        Assert.Equal<double>(GapDistribution.Values, stored.Distribution!.Values);
        Assert.Equal<double>(GapDistribution.Probabilities, stored.Distribution.Probabilities);
        Assert.Equal(0.97, stored.Distribution.CoveredMass);
        var plain = exported[1].Results.Single().Prediction;
        Assert.Equal((null, null, null), (plain.Low, plain.High, plain.Distribution));

        var page = await Store.QueryResultsAsync("c1", new ResultScope([new TaskModel("band_gap", "v1")], [new PropertyFilter("band_gap", FilterOperator.Between, 1.1, 1.8)]),
            new ResultQuery(SortBy: ResultSortKey.Composition, Descending: false));
        Assert.Equal(["KCl", "NaCl"], page.Items.Select(i => i.Composition));
        Assert.Equal(0.0, page.Items[0].SuccessProbability); // 2.0 has no distribution: a point outside the band
        Assert.Equal(0.7, page.Items[1].SuccessProbability!.Value, 12); // P(1.2) + P(1.5)
        Assert.Equal<double>(GapDistribution.Values, page.Items[1].Predictions["band_gap"].Distribution!.Values);

        var cached = (await Store.GetCachedPredictionsAsync("band_gap", "v1", PredictionEstimate.Median, ["NaCl"]))["NaCl"];
        Assert.Equal((0.0, 2.25), (cached.Low, cached.High));
        Assert.Equal<double>(GapDistribution.Probabilities, cached.Distribution!.Probabilities);
    }

    [ServerFact]
    public async Task TheCacheKeepsEachEstimatesAnswerApart()
    {
        await Store.UpsertPredictionsAsync([new CachedPrediction("NaCl", new Prediction("band_gap", "v1", 1.6, null, null, " 1.6"), PredictionEstimate.Greedy)]);
        Assert.Empty(await Store.GetCachedPredictionsAsync("band_gap", "v1", PredictionEstimate.Median, ["NaCl"]));

        await Store.UpsertPredictionsAsync([new CachedPrediction("NaCl", GapWithInterval("v1", 1.5), PredictionEstimate.Median)]);
        await Store.UpsertPredictionsAsync([new CachedPrediction("NaCl", GapWithInterval("v1", 1.35), PredictionEstimate.Mean)]);
        Assert.Equal(1.6, (await Store.GetCachedPredictionsAsync("band_gap", "v1", PredictionEstimate.Greedy, ["NaCl"]))["NaCl"].Value);
        Assert.Equal(1.5, (await Store.GetCachedPredictionsAsync("band_gap", "v1", PredictionEstimate.Median, ["NaCl"]))["NaCl"].Value);
        Assert.Equal(1.35, (await Store.GetCachedPredictionsAsync("band_gap", "v1", PredictionEstimate.Mean, ["NaCl"]))["NaCl"].Value);
        Assert.Null((await Store.GetCachedPredictionsAsync("band_gap", "v1", PredictionEstimate.Greedy, ["NaCl"]))["NaCl"].Distribution);
    }

    [ServerFact]
    public async Task AVersionOneDatabaseIsMigratedKeepingItsRowsAndItsCacheAsGreedyAnswers()
    {
        await CreateVersionOneDatabaseAsync("""
            INSERT INTO campaigns(campaign_id, created_at) VALUES ('old', 0);
            INSERT INTO campaign_candidates(campaign_ref, candidate_index, input, composition)
                SELECT campaign_ref, 0, 'NaCl', 'NaCl' FROM campaigns WHERE campaign_id = 'old';
            INSERT INTO campaign_tasks(campaign_ref, task, model_version) SELECT campaign_ref, 'band_gap', 'v1' FROM campaigns WHERE campaign_id = 'old';
            INSERT INTO campaign_results(campaign_ref, task, model_version, candidate_index, value, raw_answer, cached)
                SELECT campaign_ref, 'band_gap', 'v1', 0, 1.6, ' 1.6', 0 FROM campaigns WHERE campaign_id = 'old';
            INSERT INTO prediction_cache(task, model_version, composition, value, raw_answer, updated_at) VALUES ('band_gap', 'v1', 'NaCl', 1.6, ' 1.6', 0);
            """);

        await Store.InitializeAsync();
        Assert.Equal(2, await ResultsSchemaVersionAsync());
        var old = Assert.Single(Assert.Single(await Store.ReadAllResultsAsync("old").ToListAsync()).Results).Prediction;
        Assert.Equal((1.6, (double?)null, (double?)null, (PredictedDistribution?)null), (old.Value, old.Low, old.High, old.Distribution));
        Assert.Equal(1.6, (await Store.GetCachedPredictionsAsync("band_gap", "v1", PredictionEstimate.Greedy, ["NaCl"]))["NaCl"].Value);
        Assert.Empty(await Store.GetCachedPredictionsAsync("band_gap", "v1", PredictionEstimate.Median, ["NaCl"]));

        // The migrated tables take the new columns and keys.
        await Store.UpsertResultsAsync("old", [new ResultRow(0, GapWithInterval("v1", 1.5))]);
        await Store.UpsertPredictionsAsync([new CachedPrediction("NaCl", GapWithInterval("v1", 1.5), PredictionEstimate.Median)]);
        Assert.Equal(2.25, Assert.Single(Assert.Single(await Store.ReadAllResultsAsync("old").ToListAsync()).Results).Prediction.High);
        Assert.Equal(1.5, (await Store.GetCachedPredictionsAsync("band_gap", "v1", PredictionEstimate.Median, ["NaCl"]))["NaCl"].Value);
        Assert.Equal(1.6, (await Store.GetCachedPredictionsAsync("band_gap", "v1", PredictionEstimate.Greedy, ["NaCl"]))["NaCl"].Value);
    }
}

using System.Collections.Immutable;
using DarwinGrid.Grains.Campaigns;
using DarwinGrid.Grains.Models;
using DarwinGrid.Grains.Ranking;
using DarwinGrid.Grains.Storage;

namespace DarwinGrid.Grains.Tests.Storage;

public sealed class SqliteResultStoreTests : IDisposable
{
    private readonly TempDatabase _database = new();
    private readonly SqliteResultStore _store;

    public SqliteResultStoreTests() => _store = new SqliteResultStore(new SqliteResultStoreOptions { DatabasePath = _database.FilePath });

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task CandidatesAreStoredOncePerIndexAndReadInPages()
    {
        var rows = Enumerable.Range(0, 2500).Select(i => new CandidateRow(i, $"in{i}", $"Cs{i}PbI3")).ToList();
        await _store.AppendCandidatesAsync("c1", rows);
        await _store.AppendCandidatesAsync("c1", rows.Skip(1000).Take(700).ToList()); // a retried chunk

        Assert.Equal(2500, await _store.CountCandidatesAsync("c1"));
        var page = await _store.ReadCandidatesAsync("c1", 1998, 5);
        Assert.Equal(rows.Skip(1998).Take(5), page);
        Assert.Equal(rows.Skip(2490), await _store.ReadCandidatesAsync("c1", 2490, 100));
        Assert.Empty(await _store.ReadCandidatesAsync("c1", 2500, 100));

        Assert.Equal(0, await _store.CountCandidatesAsync("c2"));
        Assert.Empty(await _store.ReadCandidatesAsync("never-written", 0, 10));
    }

    [Fact]
    public async Task RejectedCandidatesAreStoredAndListed()
    {
        RejectedCandidate[] rejected = [new(3, "Xx2", "unknown element 'Xx'"), new(10, "", "empty composition"), new(7, "Cs(", "unbalanced parenthesis")];
        await _store.AppendRejectedAsync("c1", rejected);
        await _store.AppendRejectedAsync("c1", rejected[..1]);

        Assert.Equal(3, await _store.CountRejectedAsync("c1"));
        Assert.Equal(rejected.OrderBy(r => r.Row), await _store.ReadRejectedAsync("c1", 0, 10));
        Assert.Equal([rejected[2], rejected[1]], await _store.ReadRejectedAsync("c1", 4, 10));
        Assert.Equal([rejected[0]], await _store.ReadRejectedAsync("c1", 0, 1));
    }

    [Fact]
    public async Task TenThousandResultsInBatchesGiveTheRightCounts()
    {
        var campaign = new SyntheticCampaign(4000, seed: 1);
        Assert.InRange(campaign.Results.Count, 10_000, 12_000);
        await campaign.StoreAsync(_store, "c1");

        Assert.Equal(campaign.Results.Count, await _store.CountResultRowsAsync("c1"));
        foreach (var task in SyntheticCampaign.Tasks)
        {
            var mine = campaign.Results.Where(r => r.Prediction.Task == task.Task).ToList();
            var counts = await _store.GetTaskCountsAsync("c1", task.Task);
            Assert.Equal(new TaskCounts(mine.Count, mine.Count(r => r.Prediction.Error is not null), mine.Count(r => r.Cached)), counts);
            Assert.Equal(counts, await _store.GetTaskCountsAsync("c1", task.Task, task.ModelVersion));
            Assert.Equal(new TaskCounts(0, 0, 0), await _store.GetTaskCountsAsync("c1", task.Task, "other-version"));
        }

        var completed = await _store.ReadCompletedIndexesAsync("c1", SyntheticCampaign.BandGap, 100, 200);
        var expected = campaign.Results.Where(r => r.Prediction.Task == "band_gap" && r.CandidateIndex is >= 100 and < 200).Select(r => r.CandidateIndex);
        Assert.Equal(expected, completed);
    }

    [Fact]
    public async Task ReUpsertingLeavesExactlyOneRowPerKeyWithTheLastValues()
    {
        var campaign = new SyntheticCampaign(3000, seed: 2);
        await campaign.StoreAsync(_store, "c1");
        var before = await _store.CountResultRowsAsync("c1");

        // A retried batch, partly with new answers, then the whole set again.
        var retried = campaign.Results.Skip(500).Take(1500)
            .Select(r => r with { Prediction = r.Prediction with { RawAnswer = "retry" }, Cached = true }).ToList();
        await _store.UpsertResultsAsync("c1", retried);
        await _store.UpsertResultsAsync("c1", retried);

        Assert.Equal(before, await _store.CountResultRowsAsync("c1"));
        Assert.Empty(await _store.FindDuplicateResultKeysAsync("c1"));
        var all = await _store.ReadAllResultsAsync("c1").SelectMany(c => c.Results.ToAsyncEnumerable()).ToListAsync();
        Assert.Equal(before, all.Count);
        Assert.Equal(1500, all.Count(r => r.Prediction.RawAnswer == "retry"));
        Assert.True(all.Where(r => r.Prediction.RawAnswer == "retry").All(r => r.Cached));
    }

    [Fact]
    public async Task CacheLookupReturnsOnlyTheHitsOfTheRequestedTaskAndVersion()
    {
        var stored = Enumerable.Range(0, 3000).Select(i => new CachedPrediction($"Comp{i}",
            new Prediction("band_gap", "v1", i / 100.0, null, null, $" {i / 100.0}"))).ToList();
        await _store.UpsertPredictionsAsync(stored);
        await _store.UpsertPredictionsAsync([new CachedPrediction("Comp1", new Prediction("band_gap", "v2", 9.9, null, null, " 9.9"))]);
        await _store.UpsertPredictionsAsync([new CachedPrediction("Comp1", new Prediction("is_metal", "v1", null, "metal", 0.9, " metal", null,
            ImmutableDictionary<string, double>.Empty.Add("metal", 0.9).Add("nonmetal", 0.1)))]);

        var wanted = Enumerable.Range(2500, 1000).Select(i => $"Comp{i}").ToList(); // half are cached
        var hits = await _store.GetCachedPredictionsAsync("band_gap", "v1", wanted);
        Assert.Equal(500, hits.Count);
        foreach (var i in Enumerable.Range(2500, 500))
            PredictionAssert.Same(stored[i].Prediction, hits[$"Comp{i}"]);

        Assert.Equal(9.9, (await _store.GetCachedPredictionsAsync("band_gap", "v2", ["Comp1", "Comp2"]))["Comp1"].Value);
        var metal = (await _store.GetCachedPredictionsAsync("is_metal", "v1", ["Comp1"]))["Comp1"];
        Assert.Equal(0.9, metal.LabelProbabilities!["metal"]);
        Assert.Empty(await _store.GetCachedPredictionsAsync("is_metal", "v2", ["Comp1"]));
        Assert.Empty(await _store.GetCachedPredictionsAsync("band_gap", "v1", []));
    }

    [Fact]
    public async Task CacheLookupTakesMoreCompositionsThanSqliteHasVariablesInOneCall()
    {
        await _store.UpsertPredictionsAsync([new CachedPrediction("Comp39999", new Prediction("band_gap", "v1", 1.5, null, null, " 1.5"))]);
        var wanted = Enumerable.Range(0, 40_000).Select(i => $"Comp{i}").ToList();
        var hits = await _store.GetCachedPredictionsAsync("band_gap", "v1", wanted);
        Assert.Equal(1.5, Assert.Single(hits).Value.Value);
    }

    [Fact]
    public async Task ExportStreamsEveryCandidateWithAllItsResultsAcrossPages()
    {
        var campaign = new SyntheticCampaign(4500, seed: 3);
        await campaign.StoreAsync(_store, "c1");

        var exported = await _store.ReadAllResultsAsync("c1").ToListAsync();
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
        Assert.Empty(await _store.ReadAllResultsAsync("unknown").ToListAsync());
    }

    [Fact]
    public async Task DeleteCampaignRemovesItsRowsOnlyAndTheIdCanBeReused()
    {
        await new SyntheticCampaign(300, seed: 4).StoreAsync(_store, "gone");
        await new SyntheticCampaign(200, seed: 5).StoreAsync(_store, "kept");
        await _store.AppendRejectedAsync("gone", [new RejectedCandidate(0, "Q", "bad")]);
        await _store.UpsertPredictionsAsync([new CachedPrediction("CsPbI3", new Prediction("band_gap", "v1", 1.7, null, null, " 1.7"))]);
        var keptRows = await _store.CountResultRowsAsync("kept");

        await _store.DeleteCampaignAsync("gone");

        Assert.Equal(0, await _store.CountCandidatesAsync("gone"));
        Assert.Equal(0, await _store.CountResultRowsAsync("gone"));
        Assert.Equal(0, await _store.CountRejectedAsync("gone"));
        Assert.Empty(await _store.ReadAllResultsAsync("gone").ToListAsync());
        Assert.Equal(200, await _store.CountCandidatesAsync("kept"));
        Assert.Equal(keptRows, await _store.CountResultRowsAsync("kept"));
        Assert.Single(await _store.GetCachedPredictionsAsync("band_gap", "v1", ["CsPbI3"]));

        await _store.AppendCandidatesAsync("gone", [new CandidateRow(0, "x", "NaCl")]);
        Assert.Equal(1, await _store.CountCandidatesAsync("gone"));
        Assert.Equal(0, await _store.CountResultRowsAsync("gone"));
    }

    [Fact]
    public async Task ScoresAreUpsertedAndCleared()
    {
        await _store.AppendCandidatesAsync("c1", [new CandidateRow(0, "a", "NaCl"), new CandidateRow(1, "b", "KCl")]);
        await _store.UpsertScoresAsync("c1", [new CandidateScore(0, 0.2, 1), new CandidateScore(1, 0.9, 0)]);
        await _store.UpsertScoresAsync("c1", [new CandidateScore(0, 0.95, 0)]);
        var exported = await _store.ReadAllResultsAsync("c1").ToListAsync();
        Assert.Equal([(0.95, 0), (0.9, 0)], exported.Select(e => (e.Score!.Value, e.ParetoRank!.Value)));

        await _store.ClearScoresAsync("c1");
        Assert.All(await _store.ReadAllResultsAsync("c1").ToListAsync(), e => Assert.Null(e.Score));
    }

    [Fact]
    public async Task BadRowsAreRejectedWithAMessageNamingThem()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            _store.AppendCandidatesAsync("c1", [new CandidateRow(0, "ok", "NaCl"), new CandidateRow(-1, "bad", "KCl")]));
        Assert.Contains("Candidate 1", error.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => _store.AppendCandidatesAsync(" ", [new CandidateRow(0, "ok", "NaCl")]));
        await Assert.ThrowsAsync<ArgumentException>(() =>
            _store.UpsertResultsAsync("c1", [new ResultRow(0, new Prediction("", "v1", 1, null, null, ""))]));
        Assert.Equal(0, await _store.CountCandidatesAsync("c1"));
    }

    [Fact]
    public async Task TwoStoresOnOneFileWriteConcurrentlyWithoutLosingRows()
    {
        var other = new SqliteResultStore(new SqliteResultStoreOptions { DatabasePath = _database.FilePath });
        var a = new SyntheticCampaign(2000, seed: 6);
        var b = new SyntheticCampaign(2000, seed: 7);
        await Task.WhenAll(a.StoreAsync(_store, "a", batch: 100), b.StoreAsync(other, "b", batch: 100));
        Assert.Equal(a.Results.Count, await other.CountResultRowsAsync("a"));
        Assert.Equal(b.Results.Count, await _store.CountResultRowsAsync("b"));
    }
}

using System.Globalization;
using DarwinGrid.Grains.Campaigns;
using DarwinGrid.Grains.Loop;
using DarwinGrid.Grains.Tests.Screening;
using DarwinGrid.Grains.Tests.Storage;
using DarwinGrid.TestSupport;
using Xunit.Abstractions;

namespace DarwinGrid.Grains.Tests.Loop;

/// <summary>
/// The whole loop twice on the tiny model through the grains, with the real trainer: propose, upload
/// measured values, a LoRA update (lab records + replay, held-out part scored before and after),
/// rescreen with the new version; the second update starts from the first one's version.
/// </summary>
[Collection(ScreeningCollection.Name)]
[Trait("Category", TestCategories.Slow)]
public sealed class TwoRoundLoopTests(TinyModel model, ITestOutputHelper output) : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task TwoRoundsProposeMeasureUpdateAndRescreenEachWithTheNewVersion()
    {
        var store = Path.Combine(_database.DirectoryPath, "models");
        await using var grid = await ScreeningCluster.StartAsync(_database.FilePath, model.Path, configure: o =>
        {
            o.ModelStoreDirectory = store;
            o.Training.ProgressInterval = TimeSpan.FromMilliseconds(100);
        });
        await LoopCampaign.ScreenAsync(grid, "two-rounds", 30, seed: 12);
        var loop = LoopCampaign.Loop(grid, "two-rounds");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var parent = ScreeningCluster.Version;
        var measured = new HashSet<string>();
        for (var round = 1; round <= 2; round++)
        {
            var proposal = await loop.ProposeAsync(new ProposalRequest(4, round == 1 ? ProposalRule.Poi : ProposalRule.Ei));
            Assert.Equal(parent, proposal.ModelVersionLabel);
            Assert.DoesNotContain(proposal.Candidates, c => measured.Contains(c.Composition));
            var rows = proposal.Candidates.Select((c, i) => (c.Composition, 0.8 + 0.4 * i + round)).ToArray();
            var upload = await loop.UploadMeasuredAsync(LoopCampaign.Csv("lab", rows));
            Assert.True(upload.Accepted, string.Join("; ", upload.Problems));
            measured.UnionWith(rows.Select(r => r.Composition));

            var update = await loop.StartUpdateAsync(new LoopUpdateRequest(Steps: 3, Preset: "tiny", RequestedBy: "lab", Threads: 1));
            Assert.Equal((round, parent, LoopUpdateState.Running), (update.Number, update.ParentVersion, update.State));
            Assert.Equal(4 * round, update.TrainRecords + update.HeldOutRecords);
            Assert.InRange(update.HeldOutRecords, 1, 4 * round - 1);
            var deadline = DateTime.UtcNow.AddMinutes(5);
            while (update.State == LoopUpdateState.Running && DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
                update = (await loop.GetUpdatesAsync())[^1];
            }
            output.WriteLine($"round {round}: update {update.State} -> {update.NewVersion} after {clock.Elapsed.TotalSeconds:F0} s; scores " +
                             string.Join("; ", (update.Scores ?? []).Select(s => $"{s.Key}: " + string.Join(", ", s.Value.Select(m => $"{m.Key}={m.Value.ToString("G4", CultureInfo.InvariantCulture)}")))));
            Assert.True(update.State == LoopUpdateState.Completed, update.Error);
            var scores = update.Scores!["lab:matbench_expt_gap"];
            Assert.Equal(update.HeldOutRecords, scores["n"]);
            Assert.InRange(scores["failed before"], 0, update.HeldOutRecords);
            Assert.InRange(scores["failed after"], 0, update.HeldOutRecords);
            // A mean absolute error wherever an answer had a number.
            Assert.Equal(scores["failed before"] < update.HeldOutRecords, scores.ContainsKey("mae before"));
            Assert.Equal(scores["failed after"] < update.HeldOutRecords, scores.ContainsKey("mae after"));

            // Registered with its parent and the held-out lab scores.
            var version = (await grid.Registry.GetAsync(update.NewVersion!))!;
            Assert.Equal(parent, version.ParentVersion);
            Assert.Equal(scores, version.Metrics!["lab:matbench_expt_gap"]);

            var rescreen = await loop.RescreenAsync();
            Assert.Equal(CampaignState.Running, rescreen.State);
            var done = await grid.WaitFinishedAsync("two-rounds", TimeSpan.FromSeconds(180));
            Assert.Equal(CampaignState.Completed, done.State);
            var task = Assert.Single(done.Tasks);
            Assert.Equal((version.Id, 30L, 0L), (task.ModelVersion, task.Done, task.Cached)); // nothing of the old version's cache answers for the new one
            parent = version.Id;
        }
        var overview = await loop.GetOverviewAsync();
        Assert.Equal(2, overview.Proposals.Length);
        Assert.Equal(2, overview.Datasets.Length);
        Assert.Equal(3, overview.Screenings.Length);
        Assert.Equal([null, 1, 2], overview.Screenings.Select(s => s.Update));
        Assert.Equal(overview.Updates[0].NewVersion, overview.Updates[1].ParentVersion);
        Assert.Equal(2, overview.Discovery.Length);
        output.WriteLine($"two rounds in {clock.Elapsed.TotalSeconds:F0} s");
    }
}

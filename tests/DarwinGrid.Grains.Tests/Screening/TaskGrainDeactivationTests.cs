using System.Diagnostics;
using DarwinGrid.Grains.Campaigns;
using DarwinGrid.Grains.Tasks;
using DarwinGrid.Grains.Tests.Storage;
using DarwinGrid.TestSupport;
using DarwinGrid.TestSupport.Servers;
using Xunit.Abstractions;

namespace DarwinGrid.Grains.Tests.Screening;

/// <summary>
/// What a silo loss does to a task grain on a surviving silo whose directory registration lived on the
/// dead one: the runtime deactivates it (DirectoryFailure) while its batches, whose model calls to the
/// dead silo just failed, wait to retry. On PostgreSQL, as a cluster runs: its store gives up on a
/// cancelled token without yielding, which is what turned the batch loop into a spin on the grain's
/// scheduler thread (issue #9). The deactivation must finish and a fresh activation carry on.
/// </summary>
[Collection(ScreeningCollection.Name)]
[RequiresServers(ExternalServer.PostgreSql)]
[Trait("Category", TestCategories.Integration)]
public sealed class TaskGrainDeactivationTests(TinyModel model, PostgresFixture postgres, ITestOutputHelper output) : IClassFixture<PostgresFixture>
{
    [ServerFact]
    public async Task DeactivatedWhileItsBatchesWaitToRetryAFailedModelCallTheTaskAnswersAgainWithinSecondsAndTheCampaignCompletesWithOneResultPerCandidate()
    {
        const int n = 1000;
        const string id = "deactivated";
        var counter = new ModelCallCounter { Failing = true };
        // Long pauses between attempts: the batches spend their time waiting to retry.
        await using var screening = await ScreeningCluster.StartAsync(databasePath: "", model.Path, counter: counter, postgres: await postgres.Server.CreateDatabaseAsync(),
            configure: o =>
            {
                o.Screening.RetryDelay = TimeSpan.FromSeconds(1);
                o.Screening.MaxRetryDelay = TimeSpan.FromSeconds(2);
            });
        var campaign = screening.Campaign(id);
        await campaign.CreateAsync(ScreeningCluster.Definition(id, CandidateSet.Create(n, seed: 11)));
        await campaign.StartAsync();
        await Eventually.TrueAsync(() => Task.FromResult(counter.Failures >= 4), TimeSpan.FromSeconds(60), "the first model calls to fail");
        await Task.Delay(TimeSpan.FromMilliseconds(300));

        var task = screening.Client.GetGrain<ITaskGrain>(ITaskGrain.KeyOf(id, "matbench_expt_gap"));
        Assert.True(screening.Cluster.TryGetGrainContext(task.GetGrainId(), out var context), "the task grain is active");
        var watch = Stopwatch.StartNew();
        // The cluster's own reason would be DirectoryFailure, which leaves the directory entry alone (it is
        // gone in a real failure); in a one-silo test cluster that entry would still point here. The grain
        // goes through the same deactivation either way.
        context.Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationRequested, "the test, standing in for a directory failure"));
        counter.Failing = false;
        await context.Deactivated.WaitAsync(TimeSpan.FromSeconds(20));
        output.WriteLine($"the old activation finished deactivating after {watch.Elapsed.TotalSeconds:F2} s");

        var progress = await task.GetProgressAsync().WaitAsync(TimeSpan.FromSeconds(20));
        output.WriteLine($"the task answers again after {watch.Elapsed.TotalSeconds:F2} s: {progress.Done}/{progress.Total}");
        var status = await screening.WaitFinishedAsync(id, TimeSpan.FromSeconds(90));
        output.WriteLine($"campaign {status.State} {watch.Elapsed.TotalSeconds:F2} s after the deactivation");
        Assert.Equal(CampaignState.Completed, status.State);
        Assert.Equal((n, n), (status.Total, status.Done));
        Assert.Equal(n, await screening.Store.CountResultRowsAsync(id));
        Assert.Empty(await screening.Store.FindDuplicateResultKeysAsync(id));
        await foreach (var candidate in screening.Store.ReadAllResultsAsync(id))
            Assert.All(candidate.Results, r => Assert.DoesNotContain("unavailable", r.Prediction.Error ?? ""));
    }
}

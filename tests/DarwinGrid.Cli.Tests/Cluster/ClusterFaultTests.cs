using System.Collections.Immutable;
using System.Diagnostics;
using DarwinGrid.Grains.Campaigns;
using DarwinGrid.Grains.Models;
using DarwinGrid.Grains.Storage;
using DarwinGrid.Silo.Hosting;
using DarwinGrid.TestSupport;
using DarwinGrid.TestSupport.Servers;
using Xunit.Abstractions;

namespace DarwinGrid.Cli.Tests.Cluster;

/// <summary>
/// Silo processes on a real Redis and PostgreSQL: silos killed with SIGKILL mid-campaign, the
/// database restarted mid-campaign, Redis missing at start. Measured figures go to the test output.
/// </summary>
[RequiresServers(ExternalServer.Redis, ExternalServer.PostgreSql)]
[Trait("Category", TestCategories.Integration)]
public sealed class ClusterFaultTests(ClusterServers servers, ITestOutputHelper output) : IClassFixture<ClusterServers>
{
    private static readonly TimeSpan CampaignTimeout = TimeSpan.FromSeconds(150);

    [ServerFact]
    public async Task ThreeSilosOneKilledAt30PercentAndRestartedAnotherKilledAt60PercentCampaignCompletesWithExactlyOneResultPerCandidate()
    {
        var total = Stopwatch.StartNew();
        await using var cluster = await TestCluster.CreateAsync(servers.Redis, servers.Postgres);
        await WithLogsOnFailureAsync(cluster, () => ThreeSilosTwoKillsAsync(cluster, total));
    }

    private async Task ThreeSilosTwoKillsAsync(TestCluster cluster, Stopwatch total)
    {
        await Task.WhenAll(new[] { "silo1", "silo2", "silo3" }.Select(cluster.StartSiloAsync));
        await cluster.ConnectAsync();
        await RegisterModelAsync(cluster, silos: 3);
        output.WriteLine($"3 silos up, model served: {total.Elapsed.TotalSeconds:F1} s");

        const int n = 5000;
        var campaign = cluster.Client.GetGrain<ICampaignGrain>("fault-3");
        var definition = GeneratedCampaign("fault-3", n);
        var created = await cluster.Retry.RunAsync(() => campaign.CreateAsync(definition), idempotent: false);
        var before = await cluster.Retry.RunAsync(() => campaign.GetDefinitionAsync(), idempotent: true);
        await cluster.Retry.RunAsync(() => campaign.StartAsync(), idempotent: true);
        var started = (await cluster.Retry.RunAsync(() => campaign.GetStatusAsync(), idempotent: true)).StartedAt;

        Task? restart = null;
        Task<TimeSpan>? declaredDead = null;
        TimeSpan? firstKillAt = null, secondKillAt = null, stallAfterFirst = null, stallAfterSecond = null;
        var campaignWatch = Stopwatch.StartNew();
        var lastDone = 0L;
        var polls = 0;
        var slowestCall = TimeSpan.Zero;
        CampaignStatus status;
        while (true)
        {
            // Every call of this client goes through the retry rule; a call it gives up on fails the test.
            var call = Stopwatch.StartNew();
            status = await cluster.Retry.RunAsync(() => campaign.GetStatusAsync(), idempotent: true);
            slowestCall = call.Elapsed > slowestCall ? call.Elapsed : slowestCall;
            polls++;
            var now = campaignWatch.Elapsed;
            if (status.Done > lastDone)
            {
                if (firstKillAt is { } k1 && stallAfterFirst is null)
                    stallAfterFirst = now - k1;
                if (secondKillAt is { } k2 && stallAfterSecond is null)
                    stallAfterSecond = now - k2;
                lastDone = status.Done;
            }
            if (status.IsFinished)
                break;
            if (firstKillAt is null && status.Done >= 0.3 * n)
            {
                cluster.Kill("silo1");
                firstKillAt = campaignWatch.Elapsed;
                output.WriteLine($"killed silo1 at {status.Done}/{n} ({now.TotalSeconds:F1} s); restarting it");
                restart = cluster.StartSiloAsync("silo1");
            }
            else if (secondKillAt is null && status.Done >= 0.6 * n)
            {
                cluster.Kill("silo2");
                secondKillAt = campaignWatch.Elapsed;
                output.WriteLine($"killed silo2 at {status.Done}/{n} ({now.TotalSeconds:F1} s); silo1 {(restart!.IsCompleted ? "had restarted" : "still restarting")}");
                declaredDead = TimeUntilDeadAsync(cluster, "silo2");
            }
            Assert.True(campaignWatch.Elapsed < CampaignTimeout, $"campaign not finished after {CampaignTimeout.TotalSeconds} s: {status.Done}/{n}\n{cluster.Logs()}");
            await Task.Delay(100);
        }
        output.WriteLine($"campaign {status.State} after {campaignWatch.Elapsed.TotalSeconds:F1} s ({polls} status calls, none failed; slowest, retries included, {slowestCall.TotalSeconds:F2} s)");
        Assert.NotNull(secondKillAt); // both kills happened before the end
        await restart!; // the restarted silo joined (a failed start throws here)
        output.WriteLine($"progress stalled {stallAfterFirst?.TotalSeconds:F2} s after the first kill, {stallAfterSecond?.TotalSeconds:F2} s after the second");
        var dead = await declaredDead!;
        output.WriteLine($"silo2 declared dead by the cluster {dead.TotalSeconds:F2} s after SIGKILL");

        Assert.Equal(CampaignState.Completed, status.State);
        Assert.Equal((n, n, n), (status.Candidates, status.Total, status.Done));
        Assert.Equal(created.CreatedAt, status.CreatedAt);
        Assert.Equal(started, status.StartedAt);
        var after = await cluster.Retry.RunAsync(() => campaign.GetDefinitionAsync(), idempotent: true);
        Assert.Equal((before!.Name, before.Candidates.Generator!.Template, before.Candidates.Generator.Limit), (after!.Name, after.Candidates.Generator!.Template, after.Candidates.Generator.Limit));
        Assert.Equal(before.Tasks.ToArray(), after.Tasks.ToArray());
        var listed = await cluster.Retry.RunAsync(() => cluster.Client.GetGrain<ICampaignDirectoryGrain>(ICampaignDirectoryGrain.Key).ListAsync(), idempotent: true);
        Assert.Contains(listed, c => c.Id == "fault-3");

        var store = new PostgreSqlResultStore(new PostgreSqlResultStoreOptions { ConnectionString = cluster.Environment["DarwinGrid__Storage__PostgreSql"] });
        Assert.Equal(n, await store.CountResultRowsAsync("fault-3"));
        Assert.Empty(await store.FindDuplicateResultKeysAsync("fault-3"));
        var completed = await store.ReadCompletedIndexesAsync("fault-3", new TaskModel("matbench_expt_gap", ClusterServers.ModelVersion), 0, n);
        Assert.Equal(Enumerable.Range(0, n).Select(i => (long)i), completed);
        // Failed predictions are the random model's unreadable answers, never a model that could not be reached.
        var unreachable = 0;
        await foreach (var candidate in store.ReadAllResultsAsync("fault-3"))
            unreachable += candidate.Results.Count(r => r.Prediction.Error?.Contains("unavailable", StringComparison.Ordinal) == true);
        Assert.Equal(0, unreachable);
        var top = await cluster.Retry.RunAsync(() => campaign.GetTopAsync(5), idempotent: true);
        Assert.Equal(5, top.Length);
        output.WriteLine($"whole test {total.Elapsed.TotalSeconds:F1} s");
    }

    [ServerFact]
    public async Task PostgreSqlRestartedMidCampaignTheCampaignWaitsAndFinishesWithEveryResultOnce()
    {
        var total = Stopwatch.StartNew();
        await using var cluster = await TestCluster.CreateAsync(servers.Redis, servers.Postgres);
        await WithLogsOnFailureAsync(cluster, () => PostgreSqlRestartAsync(cluster, total));
    }

    private async Task PostgreSqlRestartAsync(TestCluster cluster, Stopwatch total)
    {
        await Task.WhenAll(new[] { "silo1", "silo2" }.Select(cluster.StartSiloAsync));
        await cluster.ConnectAsync();
        await RegisterModelAsync(cluster, silos: 2);

        const int n = 2000;
        var campaign = cluster.Client.GetGrain<ICampaignGrain>("pg-restart");
        await cluster.Retry.RunAsync(() => campaign.CreateAsync(GeneratedCampaign("pg-restart", n)), idempotent: false);
        await cluster.Retry.RunAsync(() => campaign.StartAsync(), idempotent: true);
        await WaitAsync(cluster, campaign, s => s.Done >= 0.3 * n, "30% of the campaign");

        var outage = Stopwatch.StartNew();
        await servers.Postgres.StopAsync(immediate: true);
        await Task.Delay(TimeSpan.FromSeconds(3));
        var during = await cluster.Retry.RunAsync(() => campaign.GetStatusAsync(), idempotent: true);
        await servers.Postgres.StartAgainAsync();
        output.WriteLine($"PostgreSQL down for {outage.Elapsed.TotalSeconds:F1} s at {during.Done}/{n}; campaign {during.State} meanwhile");
        Assert.NotEqual(CampaignState.Failed, during.State);

        var status = await WaitAsync(cluster, campaign, s => s.IsFinished, "the campaign to finish");
        Assert.Equal(CampaignState.Completed, status.State);
        Assert.Equal(n, status.Done);
        var store = new PostgreSqlResultStore(new PostgreSqlResultStoreOptions { ConnectionString = cluster.Environment["DarwinGrid__Storage__PostgreSql"] });
        Assert.Equal(n, await store.CountResultRowsAsync("pg-restart"));
        Assert.Empty(await store.FindDuplicateResultKeysAsync("pg-restart"));
        output.WriteLine($"whole test {total.Elapsed.TotalSeconds:F1} s");
    }

    [ServerFact]
    public async Task RedisUnreachableAtStartSiloAndClientFailFastWithAMessageNamingIt()
    {
        await using var cluster = await TestCluster.CreateAsync(servers.Redis, servers.Postgres);
        var nowhere = $"127.0.0.1:{FreePort.Next()}";
        cluster.Environment["DarwinGrid__Cluster__Redis"] = nowhere;

        var watch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => cluster.StartSiloAsync("lonely"));
        output.WriteLine($"silo gave up after {watch.Elapsed.TotalSeconds:F1} s");
        Assert.Contains($"Redis at {nowhere} (DarwinGrid:Cluster:Redis) cannot be reached", error.Message);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), "the silo hung instead of failing");

        watch.Restart();
        var overrides = cluster.Environment.ToDictionary(e => e.Key.Replace("__", ":", StringComparison.Ordinal), e => (string?)e.Value);
        var clientError = await Assert.ThrowsAsync<InvalidOperationException>(() => GridConnection.OpenAsync(cluster: true, overrides, CancellationToken.None));
        output.WriteLine($"client gave up after {watch.Elapsed.TotalSeconds:F1} s: {clientError.Message}");
        Assert.Contains($"through Redis at {nowhere}", clientError.Message);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), "the client hung instead of failing");
    }

    /// <summary>A failed run writes every silo's whole log to the test output, so a CI failure can be read without the machine.</summary>
    private async Task WithLogsOnFailureAsync(TestCluster cluster, Func<Task> test)
    {
        try
        {
            await test();
        }
        catch (Exception)
        {
            output.WriteLine($"--- the test failed at {DateTime.UtcNow:HH:mm:ss.fff} UTC; silo logs follow ---");
            output.WriteLine(cluster.FullLogs());
            throw;
        }
    }

    private async Task RegisterModelAsync(TestCluster cluster, int silos)
    {
        var registry = cluster.Client.GetGrain<IModelRegistryGrain>(IModelRegistryGrain.Key);
        await cluster.Retry.RunAsync(() => registry.RegisterAsync(new ModelVersionInfo(ClusterServers.ModelVersion, servers.ModelPath, [], "darwin", [], DateTimeOffset.UtcNow)), idempotent: true);
        await cluster.Retry.RunAsync(() => registry.SetDefaultAsync(IModelRegistryGrain.AnyTask, ClusterServers.ModelVersion), idempotent: true);
        var deadline = Stopwatch.StartNew();
        while ((await cluster.Retry.RunAsync(() => registry.GetServingKeysAsync(ClusterServers.ModelVersion), idempotent: true)).Length < silos)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), $"not every silo offered its device within a minute\n{cluster.Logs()}");
            await Task.Delay(200);
        }
    }

    private static CampaignDefinition GeneratedCampaign(string name, int count)
    {
        var generator = new CandidateGeneratorSpec("{A}{1-x}{B}{x}Ti{1-y}Zr{y}O3",
            [new GeneratorSite("A", ["Ba", "Sr"]), new GeneratorSite("B", ["Mg", "Pb"])], RequireChargeNeutral: false,
            [new DopingVariable("x", 0.01, 0.99, 0.01), new DopingVariable("y", 0.01, 0.99, 0.01)], Limit: count);
        return new CampaignDefinition(name, CandidateSource.FromGenerator(generator), ["band_gap"], [],
            new RankingSpec(RankingMode.WeightedScore, [new Objective("band_gap", ObjectiveGoal.Target, 1.4)]));
    }

    private static async Task<CampaignStatus> WaitAsync(TestCluster cluster, ICampaignGrain campaign, Func<CampaignStatus, bool> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var status = await cluster.Retry.RunAsync(() => campaign.GetStatusAsync(), idempotent: true);
            if (condition(status))
                return status;
            Assert.True(watch.Elapsed < CampaignTimeout, $"timed out waiting for {what}: {status.State} {status.Done}/{status.Total}\n{cluster.Logs()}");
            await Task.Delay(100);
        }
    }

    /// <summary>How long after now the cluster's membership stops listing the silo as active.</summary>
    private static async Task<TimeSpan> TimeUntilDeadAsync(TestCluster cluster, string silo)
    {
        var watch = Stopwatch.StartNew();
        var management = cluster.Client.GetGrain<IManagementGrain>(0);
        while (watch.Elapsed < TimeSpan.FromSeconds(60))
        {
            var hosts = await cluster.Retry.RunAsync(() => management.GetDetailedHosts(onlyActive: true), idempotent: true);
            if (!hosts.Any(h => h.SiloName == silo))
                return watch.Elapsed;
            await Task.Delay(25);
        }
        throw new TimeoutException($"{silo} was still listed as active a minute after it was killed.");
    }
}

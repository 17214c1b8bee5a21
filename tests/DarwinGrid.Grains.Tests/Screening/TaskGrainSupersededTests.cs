using System.Diagnostics;
using DarwinGrid.Grains.Campaigns;
using DarwinGrid.Grains.Storage;
using DarwinGrid.Grains.Tasks;
using DarwinGrid.Grains.Tests.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Providers;
using Orleans.Storage;
using Xunit.Abstractions;

namespace DarwinGrid.Grains.Tests.Screening;

/// <summary>
/// A task grain whose stored state another activation of it has written (what a silo loss leaves
/// behind: a lost directory entry, a second activation elsewhere) must retire and answer, however
/// its own writes were queued, and the campaign must finish on a fresh activation. (A write queued
/// behind the conflicting one used to either spin on the grain's scheduler, hanging the activation, or
/// be written with the stale ETag and its failure swallowed, so the pause looked done but was never stored.)
/// </summary>
[Collection(ScreeningCollection.Name)]
public sealed class TaskGrainSupersededTests(TinyModel model, ITestOutputHelper output) : IDisposable
{
    private const string CampaignId = "superseded";
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task HeldWriteConflictsWhileAPauseWaitsBehindItTheActivationAnswersWithinSecondsAndTheCampaignCompletesWithOneResultPerCandidate()
    {
        const int n = 2000;
        var gate = new StateWriteGate();
        // Slow batches: several are in flight (and cancellable) while the write is held.
        var counter = new ModelCallCounter { BatchDelay = TimeSpan.FromMilliseconds(500) };
        await using var screening = await ScreeningCluster.StartAsync(_database.FilePath, model.Path, counter: counter, writeGate: gate);
        var campaign = screening.Campaign(CampaignId);
        await campaign.CreateAsync(ScreeningCluster.Definition(CampaignId, CandidateSet.Create(n, seed: 7)));
        var task = screening.Client.GetGrain<ITaskGrain>(ITaskGrain.KeyOf(CampaignId, "matbench_expt_gap"));
        var taskId = task.GetGrainId();
        // The first write after a batch was recorded: the heartbeat's cursor write.
        gate.Arm((_, id, state) => id == taskId && state is TaskGrainState { Watermark: > 0 } or TaskGrainState { DoneAbove.Count: > 0 });
        await campaign.StartAsync();
        await gate.Reached.WaitAsync(TimeSpan.FromSeconds(60));

        // A second write of the same activation queues behind the held one.
        var pause = task.PauseAsync();
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.False(pause.IsCompleted, "the pause should wait for the write in flight");
        // Another activation of the task writes its state: the held write now conflicts (a real ETag mismatch).
        await WriteAsAnotherActivationAsync(taskId);
        counter.BatchDelay = TimeSpan.Zero;
        var watch = Stopwatch.StartNew();
        gate.Release();

        // The retired activation answers: its pause never reached the store, and it says so.
        await Assert.ThrowsAsync<InconsistentStateException>(() => pause.WaitAsync(TimeSpan.FromSeconds(20)));
        output.WriteLine($"the queued pause answered {watch.Elapsed.TotalSeconds:F2} s after the conflict");
        var progress = await task.GetProgressAsync().WaitAsync(TimeSpan.FromSeconds(20));
        output.WriteLine($"the task answers again after {watch.Elapsed.TotalSeconds:F2} s: {progress.Done}/{progress.Total}");

        // The campaign is still running (the pause did not take); a fresh activation finishes it.
        var status = await screening.WaitFinishedAsync(CampaignId, TimeSpan.FromSeconds(90));
        output.WriteLine($"campaign {status.State} {watch.Elapsed.TotalSeconds:F2} s after the conflict");
        Assert.Equal(CampaignState.Completed, status.State);
        Assert.Equal((n, n), (status.Total, status.Done));
        Assert.Equal(n, await screening.Store.CountResultRowsAsync(CampaignId));
        Assert.Empty(await screening.Store.FindDuplicateResultKeysAsync(CampaignId));
        var completed = await screening.Store.ReadCompletedIndexesAsync(CampaignId, new TaskModel("matbench_expt_gap", ScreeningCluster.Version), 0, n);
        Assert.Equal(Enumerable.Range(0, n).Select(i => (long)i), completed);
    }

    /// <summary>Reads the task's stored state and writes it back, as a second activation's heartbeat would: a new ETag.</summary>
    private async Task WriteAsAnotherActivationAsync(GrainId taskId)
    {
        var storage = new SqliteGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, new SqliteStorageOptions { DatabasePath = _database.FilePath },
            NullLogger<SqliteGrainStorage>.Instance);
        var stored = new GrainState<TaskGrainState>(new TaskGrainState());
        await storage.ReadStateAsync("task", taskId, stored);
        Assert.True(stored.RecordExists, "the task grain has stored its state");
        await storage.WriteStateAsync("task", taskId, stored);
    }
}

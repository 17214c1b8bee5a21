using DarwinGrid.Grains.Models;
using DarwinGrid.Grains.Tasks;
using Microsoft.Extensions.Logging;

namespace DarwinGrid.Grains.Campaigns;

// Driving the task grains: a keep-alive timer (re)starts them while the campaign runs, which also
// re-activates any lost with a silo, and takes their progress (polled, or reported by them) into
// CampaignProgress; the campaign finishes or fails from what it shows.
public sealed partial class CampaignGrain
{
    public Task ReportTaskProgressAsync(TaskProgress progress)
    {
        if (progress is null || !S.TaskVersions.TryGetValue(progress.Task, out var version) || progress.ModelVersion != version)
            return Task.CompletedTask;
        if (S.State is CampaignState.Running or CampaignState.Paused)
        {
            Update(progress);
            CheckCompletion();
        }
        return Task.CompletedTask;
    }

    private IEnumerable<(string Task, ITaskGrain Grain, TaskAssignment Assignment)> TaskGrains() =>
        S.TaskVersions.Select(p => (p.Key, GrainFactory.GetGrain<ITaskGrain>(ITaskGrain.KeyOf(Id, p.Key)), new TaskAssignment(Id, p.Key, p.Value, S.Candidates, EstimateFor(p.Key))));

    /// <summary>A classification answer does not depend on the estimate: its tasks share the median's cache entries whatever the campaign asks.</summary>
    private PredictionEstimate EstimateFor(string task) =>
        Domain.Tasks.TaskCatalog.Get(task).Kind == Domain.Tasks.TaskKind.Regression ? S.Definition!.Estimate : PredictionEstimate.Median;

    private void EnsureDriving()
    {
        _check ??= this.RegisterGrainTimer(CheckAsync, new GrainTimerCreationOptions
        {
            DueTime = TimeSpan.Zero,
            Period = options.Value.Screening.CampaignCheckInterval,
            Interleave = true,
            KeepAlive = true,
        });
        if (!S.Ingested && _ingesting is null or { IsCompleted: true })
            _ingesting = IngestAsync();
    }

    /// <summary>The timer while running: (re)starts the task grains, which also re-activates any lost with a silo, and polls their progress.</summary>
    private async Task CheckAsync(CancellationToken cancellationToken)
    {
        if (S.State != CampaignState.Running)
        {
            _check?.Dispose();
            _check = null;
            return;
        }
        if (!S.Ingested)
        {
            EnsureDriving();
            return;
        }
        foreach (var (task, grain, assignment) in TaskGrains().ToList())
        {
            try
            {
                await grain.StartAsync(assignment).WaitAsync(TimeSpan.FromSeconds(20), cancellationToken);
                Update(await grain.GetProgressAsync().WaitAsync(TimeSpan.FromSeconds(20), cancellationToken));
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("Campaign {Id}: task {Task} did not answer ({Error}); trying again at the next check", Id, task, e.Message);
            }
        }
        CheckCompletion();
    }

    private void Update(TaskProgress progress)
    {
        if (_progress.Update(progress))
            _feed.Signal();
    }

    private void CheckCompletion()
    {
        if (S.State != CampaignState.Running || !S.Ingested || _finishing is { IsCompleted: false })
            return;
        if (_progress.FailedTask(S.TaskVersions) is { } failed)
        {
            // A task that cannot run (its model does not load) fails the campaign with the reason.
            _finishing = FailAsync($"Task '{failed.Task}' failed: {failed.Error}");
            return;
        }
        if (_progress.AllDone(S.TaskVersions.Keys, S.Candidates))
            _finishing = FinishAsync();
    }
}

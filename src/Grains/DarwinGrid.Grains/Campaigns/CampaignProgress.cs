using System.Collections.Immutable;
using DarwinGrid.Grains.Models;

namespace DarwinGrid.Grains.Campaigns;

/// <summary>
/// What a campaign knows of its tasks while they run: each task's last progress (reported by its task
/// grain or polled), the prediction rate, whether a task failed or all are done, and the status built
/// from them. Plain data work on the campaign's scheduler.
/// </summary>
public sealed class CampaignProgress
{
    private readonly Dictionary<string, TaskProgress> _tasks = new(StringComparer.Ordinal);
    private readonly RateMeter _rate = new(TimeSpan.FromSeconds(20));
    private long _doneSeen = -1;

    /// <summary>Every task of <paramref name="versions"/> from zero (started, candidates read, or screened again with a new version).</summary>
    public void StartTasks(IReadOnlyDictionary<string, string> versions, long candidates, bool forgetOthers = false)
    {
        if (forgetOthers)
        {
            _tasks.Clear();
            _doneSeen = -1;
        }
        foreach (var (task, version) in versions)
            _tasks[task] = new TaskProgress(task, candidates, 0, 0, 0, version);
    }

    /// <summary>A task's progress as the results table has it (a campaign activated again).</summary>
    public void Restore(TaskProgress progress) => _tasks[progress.Task] = progress;

    /// <summary>Takes a task's latest progress; false when it is what was known already.</summary>
    public bool Update(TaskProgress progress)
    {
        if (_tasks.TryGetValue(progress.Task, out var old) && old == progress)
            return false;
        _tasks[progress.Task] = progress;
        var done = _tasks.Values.Sum(p => p.Done);
        if (_doneSeen >= 0 && done > _doneSeen)
            _rate.Add(done - _doneSeen);
        else if (_doneSeen < 0)
            _rate.Add(0);
        _doneSeen = done;
        return true;
    }

    /// <summary>A task of the current versions that failed (its model does not load), if any.</summary>
    public TaskProgress? FailedTask(IReadOnlyDictionary<string, string> versions) =>
        _tasks.Values.FirstOrDefault(p => p.Error is not null && versions.GetValueOrDefault(p.Task) == p.ModelVersion);

    /// <summary>Whether every task has all <paramref name="candidates"/> done.</summary>
    public bool AllDone(IEnumerable<string> tasks, long candidates) =>
        tasks.All(t => _tasks.TryGetValue(t, out var p) && p.Total == candidates && p.Done >= p.Total);

    public CampaignStatus Status(string id, CampaignGrainState s, long candidates)
    {
        var definition = s.Definition!;
        var tasks = definition.Tasks.Select(t => _tasks.TryGetValue(t, out var p)
            ? p
            : new TaskProgress(t, candidates, 0, 0, 0, s.TaskVersions.GetValueOrDefault(t))).ToImmutableArray();
        var total = candidates * tasks.Length;
        var done = tasks.Sum(t => t.Done);
        var perSecond = s.State == CampaignState.Running ? _rate.PerSecond() : 0;
        TimeSpan? remaining = perSecond > 0 && total > done ? TimeSpan.FromSeconds((total - done) / perSecond) : null;
        return new CampaignStatus(id, definition.Name, s.State, candidates, total, done,
            tasks.Sum(t => t.Failed), tasks.Sum(t => t.Cached), tasks.Length == 0 ? 0 : perSecond / tasks.Length, remaining,
            s.CreatedAt, s.StartedAt, s.FinishedAt, tasks, s.Rejected, s.Error);
    }
}

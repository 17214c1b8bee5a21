using Microsoft.Extensions.Logging;

namespace DarwinGrid.Training.Optimization;

/// <summary>Feeds each optimizer step's tokens and time to a <see cref="ThreadProbe"/> and switches the backend's threads as it decides.</summary>
internal sealed class ThreadProbeObserver(ThreadProbe probe, RunState run, TimeSpan startedAt, Action<int> setThreads, ILogger logger) : ITrainingObserver
{
    private TimeSpan _lastStepAt = startedAt;
    private long _tokensAtLastStep = run.TrainedTokens;

    public bool AfterStep(StepEnd step)
    {
        if (!probe.Done)
        {
            if (probe.AfterStep(run.Step, run.TrainedTokens - _tokensAtLastStep, step.Elapsed - _lastStepAt) is { } threads) setThreads(threads);
            if (probe.Done)
                logger.LogInformation("Thread probe: {All:F0} tokens/s on {Cores} threads, {One:F0} on 1; training goes on with {Threads}",
                    probe.AllCoresRate, probe.Cores, probe.OneCoreRate, probe.Threads);
        }
        _lastStepAt = step.Elapsed;
        _tokensAtLastStep = run.TrainedTokens;
        return false;
    }
}

using System.Globalization;
using DarwinGrid.Grains.Training;
using DarwinGrid.Training.Optimization;

namespace DarwinGrid.Silo.Cli;

/// <summary>
/// <c>darwin train --cluster</c>: submits a run to the training grain of a running cluster and
/// follows it with the console progress bar until it finishes. Ctrl-C detaches (the run goes on);
/// following survives the loss of the silo that trains (the run moves, the watch is re-opened).
/// </summary>
internal static class ClusterTraining
{
    private static readonly TimeSpan Reconnect = TimeSpan.FromSeconds(1);

    public static string NewRunId() => $"run-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Random.Shared.Next(0x10000):x4}";

    public static async Task<int> SubmitAsync(IClusterClient client, string runId, TrainingJobSpec spec, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var run = client.GetGrain<ITrainingGrain>(runId);
        var status = await run.StartAsync(spec);
        stdout.WriteLine($"Training run '{runId}' ({status.State}, preset {status.Spec?.Preset}) on silo {status.Silo ?? "(placing)"}. " +
                         $"Ctrl-C detaches; 'darwin train --cluster --cancel {runId}' stops it.");
        return await FollowAsync(run, runId, stdout, stderr, cancellationToken);
    }

    public static async Task<int> CancelAsync(IClusterClient client, string runId, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var run = client.GetGrain<ITrainingGrain>(runId);
        var status = await run.CancelAsync();
        stdout.WriteLine(status.IsFinished ? $"Training run '{runId}' is already {status.State}." : $"Cancelling training run '{runId}'.");
        return status.IsFinished ? (status.State == TrainingRunState.Cancelled ? 0 : 1) : await FollowAsync(run, runId, stdout, stderr, cancellationToken);
    }

    private static async Task<int> FollowAsync(ITrainingGrain run, string runId, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var bar = new ConsoleProgressBar(stdout, TimeSpan.FromSeconds(1), redrawInPlace: !Console.IsOutputRedirected && ReferenceEquals(stdout, Console.Out));
        TrainingRunStatus? last = null;
        try
        {
            while (last is null || !last.IsFinished)
            {
                try
                {
                    await foreach (var status in run.WatchAsync(cancellationToken).WithCancellation(cancellationToken))
                    {
                        Show(status, last, bar, stdout);
                        last = status;
                    }
                    if (last?.State == TrainingRunState.None)
                    {
                        stderr.WriteLine($"There is no training run '{runId}'.");
                        return 1;
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException and not ArgumentException and not InvalidOperationException)
                {
                    // The silo that held the run went away: it is picked up elsewhere, watch again.
                    bar.EndLine();
                    stdout.WriteLine($"Lost the run's silo ({e.GetType().Name}); following again...");
                    await Task.Delay(Reconnect, cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            bar.EndLine();
            stdout.WriteLine($"Detached; training run '{runId}' goes on. Follow it again with the same command and --run-id {runId}.");
            return 0;
        }

        bar.EndLine();
        switch (last.State)
        {
            case TrainingRunState.Completed:
                stdout.WriteLine($"Done: {last.Step} steps in {last.Elapsed:hh\\:mm\\:ss}; registered model version '{last.VersionId}'.");
                return 0;
            case TrainingRunState.Cancelled:
                stdout.WriteLine($"Training run '{runId}' was cancelled at step {last.Step}.");
                return 1;
            default:
                stderr.WriteLine($"Training run '{runId}' failed: {last.Error}");
                return 1;
        }
    }

    private static void Show(TrainingRunStatus status, TrainingRunStatus? previous, ConsoleProgressBar bar, TextWriter stdout)
    {
        if (previous is not null && status.Attempt != previous.Attempt && status.Note is not null)
        {
            bar.EndLine();
            stdout.WriteLine(status.Note);
        }
        if (status.State == TrainingRunState.Running && status.Step > 0)
        {
            if (status.ValidationLoss is { } validation && validation != previous?.ValidationLoss)
                bar.Report(Progress(status, TrainingProgressKind.Epoch));
            bar.Report(Progress(status, TrainingProgressKind.Step));
        }
        if (status.State != previous?.State && status.State == TrainingRunState.Evaluating)
        {
            bar.EndLine();
            var limit = status.Spec?.EvaluationLimit is { } n ? $" (at most {n.ToString(CultureInfo.InvariantCulture)} records per task)" : "";
            stdout.WriteLine($"Trained {status.Step} steps; scoring the model on the held-out fold{limit} and registering it...");
        }
    }

    private static TrainingProgress Progress(TrainingRunStatus s, TrainingProgressKind kind) =>
        new(kind, s.Epoch, s.Step, s.TotalSteps, s.Loss ?? double.NaN, 0f, s.TokensPerSecond, s.Elapsed, s.Remaining ?? TimeSpan.Zero, 0,
            kind == TrainingProgressKind.Epoch ? s.ValidationLoss : null) { StepLoss = s.Loss };
}

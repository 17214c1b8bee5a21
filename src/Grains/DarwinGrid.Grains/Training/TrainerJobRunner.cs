using DarwinGrid.Domain.Data;
using DarwinGrid.Grains.Calibration;
using DarwinGrid.Grains.Hosting;
using DarwinGrid.Training.Optimization;
using DarwinGrid.Training.Runs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DarwinGrid.Grains.Training;

/// <summary>
/// Runs <see cref="CalibratedTraining.Execute"/> (the run, then its model's calibration) on a dedicated background thread per job (training is
/// minutes of CPU-bound work: not for the grain scheduler or the thread pool). When the silo's
/// services are disposed (the silo stops or is killed in-process) every job still running is
/// cancelled, so no orphaned trainer keeps writing after its silo is gone.
/// </summary>
public sealed class TrainerJobRunner(IOptions<DarwinGridGrainOptions> options, ILoggerFactory loggers) : ITrainingJobRunner, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();

    public bool CanResume => TrainerSpecMapping.CanResume;

    public Task<TrainingJobResult> RunAsync(TrainingJobSpec spec, string workDirectory, bool resume,
        IProgress<TrainingJobProgress> progress, CancellationToken cancellationToken)
    {
        TrainingRunOptions runOptions;
        try
        {
            runOptions = TrainerSpecMapping.ToRunOptions(spec, workDirectory, SharedDataLocator.Locate(options.Value.DataDirectory), resume);
        }
        catch (Exception e)
        {
            return Task.FromException<TrainingJobResult>(e);
        }

        var logger = loggers.CreateLogger<TrainerJobRunner>();
        var done = new TaskCompletionSource<TrainingJobResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        var thread = new Thread(() =>
        {
            try
            {
                if (runOptions.Resume)
                    logger.LogInformation("Resuming from {Checkpoint}", TrainerSpecMapping.CheckpointOf(runOptions));
                var result = CalibratedTraining.Execute(runOptions, new ProgressAdapter(progress, TrainerSpecMapping.CheckpointOf(runOptions)), logger, linked.Token);
                done.TrySetResult(TrainerSpecMapping.ToJobResult(runOptions, result));
            }
            catch (OperationCanceledException) when (linked.IsCancellationRequested)
            {
                done.TrySetCanceled(linked.Token);
            }
            catch (Exception e)
            {
                done.TrySetException(e);
            }
            finally
            {
                linked.Dispose();
            }
        })
        {
            IsBackground = true,
            Name = "darwin-train " + Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(workDirectory))),
        };
        thread.Start();
        return done.Task;
    }

    public void Dispose() => _stopping.Cancel();

    /// <summary>The trainer's events as job progress, naming the checkpoint whenever a newer one is on disk.</summary>
    private sealed class ProgressAdapter(IProgress<TrainingJobProgress> next, string checkpointPath) : IProgress<TrainingProgress>
    {
        private DateTime _lastCheckpoint;

        public void Report(TrainingProgress value)
        {
            var epoch = value.Kind == TrainingProgressKind.Epoch;
            var written = File.GetLastWriteTimeUtc(checkpointPath); // a year-1601 value when there is none yet
            string? checkpoint = null;
            if (written > _lastCheckpoint && File.Exists(checkpointPath))
            {
                _lastCheckpoint = written;
                checkpoint = Path.GetFileName(checkpointPath);
            }
            next.Report(new TrainingJobProgress(value.Stage ?? TrainingStages.MultiTask, value.Epoch, value.Step, value.TotalSteps,
                epoch ? value.TrainLoss : value.StepLoss ?? value.TrainLoss, value.ValidationLoss, value.TokensPerSecond,
                value.Elapsed, value.EstimatedRemaining, epoch, checkpoint));
        }
    }
}

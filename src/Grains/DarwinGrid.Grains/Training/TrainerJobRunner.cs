using DarwinGrid.Domain.Data;
using DarwinGrid.Grains.Hosting;
using DarwinGrid.Training.Optimization;
using DarwinGrid.Training.Runs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DarwinGrid.Grains.Training;

/// <summary>
/// Runs <see cref="TrainingRun.Execute"/> on a dedicated background thread per job (training is
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
            if (resume && !CanResume)
                throw new TrainingCapabilityException("This build's trainer cannot resume from a checkpoint yet; start the run over.");
            runOptions = TrainerSpecMapping.ToRunOptions(spec, workDirectory, SharedDataLocator.Locate(options.Value.DataDirectory));
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
                var result = TrainingRun.Execute(runOptions, new ProgressAdapter(progress), logger, linked.Token);
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

    /// <summary>The trainer's events as job progress (the only stage this trainer runs is the multi-task one).</summary>
    private sealed class ProgressAdapter(IProgress<TrainingJobProgress> next) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            var epoch = value.Kind == TrainingProgressKind.Epoch;
            next.Report(new TrainingJobProgress(TrainingStages.MultiTask, value.Epoch, value.Step, value.TotalSteps,
                epoch ? value.TrainLoss : value.StepLoss ?? value.TrainLoss, value.ValidationLoss, value.TokensPerSecond,
                value.Elapsed, value.EstimatedRemaining, epoch));
        }
    }
}

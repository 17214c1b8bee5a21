using Microsoft.Extensions.Logging;

namespace DarwinGrid.Training.Optimization;

/// <summary>
/// Tracks the best validation loss: keeps that epoch's weights when <see cref="TrainerOptions.RestoreBestWeights"/> is on,
/// and stops the run after <see cref="TrainerOptions.EarlyStoppingPatience"/> epochs without improvement.
/// </summary>
internal sealed class EarlyStopping(TrainerOptions options, RunState run, ModelUnderTraining model, ILogger logger) : ITrainingObserver
{
    public void AfterEpoch(int epoch, EpochSummary summary)
    {
        if (summary.Validation is not { } validation) return;
        if (validation.Loss < run.BestLoss - options.EarlyStoppingMinDelta)
        {
            run.BestLoss = validation.Loss;
            run.BestEpoch = epoch + 1;
            run.EpochsWithoutImprovement = 0;
            if (options.RestoreBestWeights && epoch + 1 < options.Epochs) run.BestWeights = model.DownloadTrainable();
        }
        else if (options.EarlyStoppingPatience > 0 && ++run.EpochsWithoutImprovement >= options.EarlyStoppingPatience)
        {
            run.StoppedEarly = true;
            logger.LogInformation("Stopping early: validation loss has not improved for {Epochs} epochs", run.EpochsWithoutImprovement);
        }
    }
}

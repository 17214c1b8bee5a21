using DarwinGrid.Training.Optimization;
using DarwinGrid.Training.Runs;
using Microsoft.Extensions.Logging;

namespace DarwinGrid.Grains.Calibration;

/// <summary>
/// A training run whose model calibrates itself: <see cref="TrainingRun.Execute"/>, then the
/// calibration fitted on the run's own validation records (never a test fold) is written into the
/// model's GGUF, so every silo serving the file serves calibrated intervals and probabilities. The
/// one place that joins the trainer and the inference engine: <c>darwin train</c>, darwin-mini's
/// cache (demo, <c>model mini</c>), the evaluation's fold models and the training grain all train through it.
/// </summary>
public static class CalibratedTraining
{
    /// <summary>The central interval's level the runs calibrate (what <c>darwin eval</c> scores).</summary>
    public const double IntervalLevel = 0.9;

    public static TrainingRunResult Execute(TrainingRunOptions options, IProgress<TrainingProgress>? progress, ILogger? logger, CancellationToken cancellationToken)
    {
        var result = TrainingRun.Execute(options, progress, logger, cancellationToken);
        CalibrateAsync(result, options.DataRoot, logger, cancellationToken).GetAwaiter().GetResult();
        return result;
    }

    /// <summary>
    /// Calibrates a finished run's model in place. A run without property-task validation records
    /// (a QA stage last) or whose model is a bare LoRA adapter has nothing to calibrate and is left
    /// as it is; a calibration that fails is logged, leaving the trained model uncalibrated rather
    /// than losing the training.
    /// </summary>
    public static async Task CalibrateAsync(TrainingRunResult result, string dataRoot, ILogger? logger, CancellationToken cancellationToken)
    {
        var manifest = result.Manifest;
        if (manifest.Data.Stage != TrainingStages.MultiTask)
        {
            logger?.LogInformation("Not calibrating {Model}: its last stage ({Stage}) has no property-task validation records", result.ModelPath, manifest.Data.Stage);
            return;
        }
        if (!result.ModelPath.Equals(TrainingRun.ModelPath(Path.GetDirectoryName(result.ModelPath)!, manifest.Model), StringComparison.Ordinal))
        {
            logger?.LogInformation("Not calibrating {Model}: it is a LoRA adapter, not a model the engine serves alone", result.ModelPath);
            return;
        }
        logger?.LogInformation("Calibrating {Model} on its validation records", result.ModelPath);
        var log = new StringWriter();
        try
        {
            await ModelCalibrationStep.CalibrateAsync(result.ModelPath, dataRoot, null, IntervalLevel, log, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or IOException or Inference.Models.ModelFileException)
        {
            logger?.LogWarning("The model {Model} stays uncalibrated: {Reason}", result.ModelPath, e.Message);
            return;
        }
        foreach (var line in log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            logger?.LogInformation("Calibration: {Line}", line);
    }
}

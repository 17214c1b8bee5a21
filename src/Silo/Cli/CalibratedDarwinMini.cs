using DarwinGrid.Domain.Data;
using DarwinGrid.Grains.Calibration;
using DarwinGrid.Training.Optimization;
using DarwinGrid.Training.Runs;
using Microsoft.Extensions.Logging;

namespace DarwinGrid.Silo.Cli;

/// <summary>
/// darwin-mini as the demo and <c>model mini</c> serve it: trained into the cache if missing and
/// calibrated on its validation records before it enters the cache; a cached model from before
/// calibration existed gets its calibration once.
/// </summary>
public static class CalibratedDarwinMini
{
    public static async Task<string> EnsureAsync(string? home, string? dataDir, IProgress<TrainingProgress> progress, ILogger logger, TextWriter output,
        CancellationToken cancellationToken, bool force = false, int threads = 0)
    {
        var path = await DarwinMiniModel.EnsureAsync(home, dataDir, progress, cancellationToken, force, threads, logger,
            (result, dataRoot, ct) => CalibratedTraining.CalibrateAsync(result, dataRoot, logger, ct));
        if (CalibrationGguf.Read(path) is null)
            await ModelCalibrationStep.CalibrateAsync(path, SharedDataLocator.Locate(dataDir), null, CalibratedTraining.IntervalLevel, output, cancellationToken);
        return path;
    }
}

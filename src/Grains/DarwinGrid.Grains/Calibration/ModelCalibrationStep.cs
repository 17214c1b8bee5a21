using System.Globalization;
using DarwinGrid.Domain.Datasets;
using DarwinGrid.Domain.Tasks;
using DarwinGrid.Inference.Calibration;
using DarwinGrid.Inference.Engine;
using DarwinGrid.Inference.Prediction;
using DarwinGrid.Training.Runs;

namespace DarwinGrid.Grains.Calibration;

/// <summary>
/// Fits a model's calibration on its own validation records (rebuilt from its run manifest) and
/// writes it into the model file: what <c>darwin model calibrate</c> and <c>darwin model mini</c> do.
/// </summary>
public static class ModelCalibrationStep
{
    public static string ManifestPathOf(string modelPath) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(modelPath))!, Path.GetFileNameWithoutExtension(modelPath) + ".manifest.json");

    public static async Task<ModelCalibration> CalibrateAsync(string modelPath, string dataRoot, IReadOnlyList<string>? tasks, double level,
        TextWriter log, CancellationToken cancellationToken, string? recordsOut = null, int views = 1)
    {
        var predictionOptions = new PredictionOptions { ApplyCalibration = false, Views = views }.Validated();
        var manifestPath = ManifestPathOf(modelPath);
        if (!File.Exists(manifestPath))
            throw new ArgumentException($"'{manifestPath}' does not exist: calibration is fitted on the model's validation records, which its training manifest names.");
        var manifest = TrainingRunManifest.ReadFrom(manifestPath);
        var all = ValidationRecords.Of(manifest, dataRoot);
        var selected = tasks is { Count: > 0 }
            ? tasks.Select(name => all.FirstOrDefault(v => v.Task.Name == TaskCatalog.Get(name).Name) is { Task: not null } v ? v
                : throw new ArgumentException($"The model was not trained on '{name}'; its tasks: {string.Join(", ", all.Select(a => a.Task.Name))}.")).ToArray()
            : [.. all];
        if (recordsOut is not null) WriteRecords(recordsOut, selected);
        var fold = manifest.Data.Fold is { } f ? $"fold {f.Index} of {f.Count} excluded" : "no fold excluded";
        var fittedOn = $"validation records of the training run (seed {manifest.Data.Seed}, {manifest.Data.ValidationFraction:P0} of each task, {fold}), never a test fold";
        ModelCalibration calibration;
        await using (var engine = InferenceEngine.Start(new EngineOptions { ModelPath = modelPath }.WithPrefixesForViews(views)))
        {
            var predictor = new PropertyPredictor(engine, predictionOptions);
            calibration = await CalibrationFitter.FitAsync(predictor, selected, level, fittedOn, cancellationToken);
        }
        CalibrationGguf.Write(modelPath, calibration);
        if (views > 1) log.WriteLine($"Fitted on the pooled answers of {views} views per record (predict and eval with --views {views} to match).");
        foreach (var (task, c) in calibration.Intervals)
        {
            var conformal = c.Factor is { } factor
                ? string.Create(CultureInfo.InvariantCulture,
                    $"median ± {factor:G4} x (half-width of the {c.ScaleLevel:P0} interval + {c.Floor:G4}){(c.PooledRecords is { } pool ? $", factor pooled over {pool} records of all regression tasks" : "")}")
                : c.SampleLevel is { } l
                    ? string.Create(CultureInfo.InvariantCulture, $"the distribution's {l:P0} central interval")
                    : string.Create(CultureInfo.InvariantCulture, $"margin {c.Margin:G4}");
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{task}: {c.Records} validation records, median's MAE {c.MedianAbsoluteError:G4}, raw {c.Level:P0} interval held {c.RawCoverage:P1}; conformal: {conformal}"));
        }
        foreach (var (task, c) in calibration.Temperatures)
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{task}: {c.Records} validation records, temperature {c.Temperature:F3} (log loss {c.LogLossBefore:F4} -> {c.LogLossAfter:F4})"));
        return calibration;
    }

    /// <summary>The records calibration uses, one CSV per task (<c>composition,actual</c>), so they can be inspected or scored.</summary>
    private static void WriteRecords(string directory, IEnumerable<(PropertyTask Task, IReadOnlyList<TaskRecord> Validation)> tasks)
    {
        Directory.CreateDirectory(directory);
        foreach (var (task, records) in tasks)
            File.WriteAllLines(Path.Combine(directory, $"{task.Name}.validation.csv"),
                ["composition,actual", .. records.Select(r => $"\"{r.Input.Replace("\"", "\"\"")}\",{r.Target}")]);
    }
}

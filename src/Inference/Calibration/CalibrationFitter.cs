using DarwinGrid.Domain.Datasets;
using DarwinGrid.Domain.Predictions;
using DarwinGrid.Domain.Tasks;
using DarwinGrid.Inference.Prediction;

namespace DarwinGrid.Inference.Calibration;

/// <summary>
/// Fits a <see cref="ModelCalibration"/> from a model's own answers to validation records (never a
/// test fold): regression tasks a normalised split-conformal interval (<see cref="ScaledConformal"/>),
/// classification tasks a temperature. The predictor must answer uncalibrated; with several views it
/// is fitted on their pooled answers, and the calibration records how many.
/// </summary>
public static class CalibrationFitter
{
    public static async Task<ModelCalibration> FitAsync(PropertyPredictor predictor, IReadOnlyList<(PropertyTask Task, IReadOnlyList<TaskRecord> Validation)> tasks,
        double level, string fittedOn, CancellationToken cancellationToken = default)
    {
        if (predictor.Options.ApplyCalibration)
            throw new ArgumentException("Calibration is fitted on raw answers: use a predictor with ApplyCalibration = false.", nameof(predictor));
        var regression = new List<(string, IReadOnlyList<(NumericDistribution, double)>)>();
        var temperatures = new Dictionary<string, TemperatureCalibration>(StringComparer.Ordinal);
        foreach (var (task, validation) in tasks)
        {
            if (validation.Count == 0) continue;
            var answers = await predictor.PredictManyAsync(task, [.. validation.Select(r => r.Input)], NumericEstimate.Median, cancellationToken).ConfigureAwait(false);
            var pairs = answers.Zip(validation).Where(p => p.First.Succeeded).ToArray();
            if (pairs.Length == 0) continue;
            if (task.Kind == TaskKind.Regression)
            {
                var answered = pairs.Where(p => p.First.Distribution is not null).Select(p => (p.First.Distribution!, p.Second.Target.AsNumber())).ToArray();
                if (answered.Length > 0) regression.Add((task.Name, answered));
            }
            else
            {
                var scored = pairs.Select(p => ((IReadOnlyList<double>)[.. task.Classes.Select(c => p.First.LabelProbabilities![c.Name])], p.Second.Target.AsClassIndex())).ToArray();
                var temperature = TemperatureScaling.Fit(scored);
                temperatures[task.Name] = new TemperatureCalibration(temperature, scored.Length,
                    TemperatureScaling.LogLoss(scored, 1), TemperatureScaling.LogLoss(scored, temperature));
            }
        }
        // All regression tasks at once: a task with few validation records borrows the pooled normalised scores.
        var intervals = ScaledConformal.Fit(regression, level);
        return new ModelCalibration { FittedOn = fittedOn, Views = predictor.Options.Views, Intervals = intervals, Temperatures = temperatures };
    }
}

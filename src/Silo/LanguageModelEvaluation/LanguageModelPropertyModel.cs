using DarwinGrid.Domain.Datasets;
using DarwinGrid.Domain.Predictions;
using DarwinGrid.Domain.Tasks;
using DarwinGrid.Evaluation.LanguageModels;
using DarwinGrid.Evaluation.Models;
using DarwinGrid.Inference.Engine;
using DarwinGrid.Inference.Prediction;

namespace DarwinGrid.Silo.LanguageModelEvaluation;

/// <summary>
/// A trained GGUF language model as a harness model: nothing to fit (it was trained beforehand, e.g.
/// <c>darwin train --fold k</c> for fold k), predictions through <see cref="PropertyPredictor"/> on a
/// fresh inference engine per task and fold: numbers by the chosen estimate (median of the model's
/// distribution by default, with its central interval), class probabilities from the first answer
/// token (with several views: pooled over the candidate's views), read as every language model's answer is (<see cref="LanguageModelAnswer"/>, shared with the
/// training grain's held-out scoring). An answer that cannot be read is a failure, which the harness counts.
/// </summary>
public sealed class LanguageModelPropertyModel(
    string modelPath, string name, int? threads = null, NumericEstimate estimate = NumericEstimate.Median, int views = 1, Action<string>? warn = null) : IPropertyModel
{
    public string Name => name;

    public Task FitAsync(PropertyTask task, IReadOnlyList<TaskRecord> trainRecords, CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<IReadOnlyList<ModelOutput>> PredictAsync(PropertyTask task, IReadOnlyList<TaskRecord> testRecords, CancellationToken cancellationToken)
    {
        await using var engine = InferenceEngine.Start(new EngineOptions { ModelPath = modelPath, Threads = threads, BatchThreads = threads }.WithPrefixesForViews(views));
        if (engine.Calibration?.ViewsMismatch(views) is { } mismatch) warn?.Invoke(mismatch);
        var predictor = new PropertyPredictor(engine, new PredictionOptions { Estimate = estimate, Views = views });
        var predictions = await predictor.PredictManyAsync(task, testRecords.Select(r => r.Input).ToArray(), cancellationToken);
        return predictions.Select(p => LanguageModelAnswer.ToOutput(task, p.Error, p.Value, p.Low, p.High, p.LabelProbabilities, p.RawAnswer)).ToArray();
    }
}

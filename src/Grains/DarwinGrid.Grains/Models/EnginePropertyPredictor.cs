using System.Collections.Immutable;
using DarwinGrid.Domain.Tasks;
using DarwinGrid.Inference.Prediction;

namespace DarwinGrid.Grains.Models;

/// <summary>
/// A model grain's predictor: the Inference project's <see cref="PropertyPredictor"/> (prompt,
/// response mode, answer parsing) on one engine, with its answers stamped with the model version.
/// All inputs of a batch are queued at once, so the engine's continuous batching sees them together.
/// </summary>
public sealed class EnginePropertyPredictor(PropertyPredictor predictor, string modelVersion) : IPropertyPredictor
{
    private long _tokens;

    public long TokensProcessed => Interlocked.Read(ref _tokens);

    public async Task<IReadOnlyList<Prediction>> PredictAsync(string task, IReadOnlyList<string> inputs, PredictionEstimate estimate, CancellationToken cancellationToken)
    {
        var answers = await predictor.PredictManyAsync(TaskCatalog.Get(task), inputs, estimate.ToDomain(), cancellationToken).ConfigureAwait(false);
        var predictions = new Prediction[answers.Count];
        for (var i = 0; i < answers.Count; i++)
        {
            var a = answers[i];
            if (a.Cost is { } cost)
                Interlocked.Add(ref _tokens, cost.PromptTokensEvaluated + cost.GeneratedTokens);
            predictions[i] = new Prediction(a.Task, modelVersion, a.Value, a.Label, a.Probability, a.RawAnswer, a.Error,
                a.LabelProbabilities?.ToImmutableDictionary(StringComparer.Ordinal), a.Spread,
                a.Low, a.High, a.Distribution?.ToGrain());
        }
        return predictions;
    }

    public ValueTask DisposeAsync() => predictor.Engine.DisposeAsync();
}

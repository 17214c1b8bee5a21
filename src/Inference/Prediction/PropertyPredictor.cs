using System.Collections.Immutable;
using DarwinGrid.Domain.Tasks;
using DarwinGrid.Inference.Engine;

namespace DarwinGrid.Inference.Prediction;

/// <summary>
/// Asks a model about a property: builds the task's prompt (the format's prefix is shared across
/// candidates), picks the response mode (constrained number, one-pass class probabilities, or free
/// text for labelled numbers), and reads the answer back with the task's own parser. A rejected
/// input or an unreadable answer becomes a prediction with an error, never a default value.
/// </summary>
public sealed class PropertyPredictor
{
    private readonly InferenceEngine _engine;
    private readonly PredictionRequestBuilder _requests;

    public PropertyPredictor(InferenceEngine engine, PredictionOptions? options = null)
    {
        _engine = engine;
        Options = (options ?? new PredictionOptions()).Validated();
        _requests = new PredictionRequestBuilder(Options);
    }

    public PredictionOptions Options { get; }

    public InferenceEngine Engine => _engine;

    public async ValueTask<PropertyPrediction> PredictAsync(PropertyTask task, string input, CancellationToken cancellationToken = default)
    {
        var trimmed = input?.Trim() ?? "";
        if (CandidateInputValidator.Check(task, trimmed) is { } rejection)
            return PropertyPrediction.Failed(task.Name, trimmed, rejection);

        var request = _requests.Build(task, trimmed);
        EngineResult result;
        try
        {
            result = await _engine.EvaluateAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            // The engine refuses prompts it cannot serve (too long for the context, ambiguous labels).
            return PropertyPrediction.Failed(task.Name, trimmed, e.Message);
        }
        return Interpret(task, trimmed, result);
    }

    /// <summary>Predicts every input concurrently (the engine batches them); results are in input order.</summary>
    public async Task<IReadOnlyList<PropertyPrediction>> PredictManyAsync(PropertyTask task, IReadOnlyList<string> inputs, CancellationToken cancellationToken = default)
    {
        var pending = new Task<PropertyPrediction>[inputs.Count];
        for (var i = 0; i < inputs.Count; i++) pending[i] = PredictAsync(task, inputs[i], cancellationToken).AsTask();
        return await Task.WhenAll(pending).ConfigureAwait(false);
    }

    private static PropertyPrediction Interpret(PropertyTask task, string input, EngineResult result)
    {
        if (task.Answer is ClassAnswer classes)
        {
            var probabilities = result.Labels ?? throw new InvalidOperationException("The engine returned no label probabilities.");
            var byName = classes.Classes.Select((c, i) => (c.Name, probabilities[i].Probability))
                .ToImmutableDictionary(p => p.Name, p => p.Probability);
            var best = classes.Classes.Select((c, i) => (c, p: probabilities[i].Probability)).MaxBy(x => x.p);
            var probability = task.Kind == TaskKind.Binary ? probabilities[1].Probability : best.p;
            return new PropertyPrediction(task.Name, input, null, best.c.Name, probability, byName,
                classes.CommonPrefix + best.c.Option, null, Cost: result.Cost);
        }

        var parsed = task.Answer.Parse(result.Text);
        var spread = result.Spread is { ParsedCount: > 1 } s ? s.StandardDeviation : (double?)null;
        return parsed.Succeeded
            ? new PropertyPrediction(task.Name, input, parsed.Value!.AsNumber(), null, null, null, result.Text, null, spread, result.Cost)
            : new PropertyPrediction(task.Name, input, null, null, null, null, result.Text, parsed.Error, spread, result.Cost);
    }
}

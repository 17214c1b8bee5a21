using System.Collections.Immutable;
using DarwinGrid.Domain.Predictions;
using DarwinGrid.Domain.Tasks;
using DarwinGrid.Inference.Engine;

namespace DarwinGrid.Inference.Prediction;

/// <summary>
/// Asks a model about a property: builds the task's prompt (the format's prefix is shared across
/// candidates), picks the response mode (constrained number, one-pass class probabilities, or free
/// text for labelled numbers), and reads the answer back with the task's own parser. A rejected
/// input or an unreadable answer becomes a prediction with an error, never a default value. With
/// several <see cref="PredictionOptions.Views"/> the candidate's views are asked together and their
/// answers pooled (<see cref="ViewPooling"/>) before they are read.
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

    /// <summary>The model's stored calibration when <see cref="PredictionOptions.ApplyCalibration"/> is on.</summary>
    public Calibration.ModelCalibration? Calibration => Options.ApplyCalibration ? _engine.Calibration : null;

    /// <summary>Predicts with <see cref="PredictionOptions.Estimate"/>.</summary>
    public ValueTask<PropertyPrediction> PredictAsync(PropertyTask task, string input, CancellationToken cancellationToken = default) =>
        PredictAsync(task, input, Options.Estimate, cancellationToken);

    /// <summary>
    /// Predicts one input. Regression: <paramref name="estimate"/> picks the value (median or mean
    /// of the model's distribution, which also gives <see cref="PropertyPrediction.Distribution"/>,
    /// Low and High; or greedy, with no distribution).
    /// </summary>
    public async ValueTask<PropertyPrediction> PredictAsync(PropertyTask task, string input, NumericEstimate estimate, CancellationToken cancellationToken = default)
    {
        if (!Enum.IsDefined(estimate)) throw new ArgumentException($"Unknown estimate {(int)estimate}; expected {NumericEstimates.Names}.", nameof(estimate));
        var trimmed = input?.Trim() ?? "";
        if (CandidateInputValidator.Check(task, trimmed) is { } rejection)
            return PropertyPrediction.Failed(task.Name, trimmed, rejection);

        // The views go to the engine together, so it batches them as it batches candidates.
        var views = await Task.WhenAll(_requests.BuildViews(task, trimmed, estimate).Select(r => EvaluateViewAsync(r, cancellationToken))).ConfigureAwait(false);
        var answered = views.Where(v => v.Result is not null).Select(v => v.Result!).ToArray();
        if (answered.Length == 0) return PropertyPrediction.Failed(task.Name, trimmed, views[0].Refusal!);
        return Interpret(task, trimmed, ViewPooling.Pool(task, answered), estimate);
    }

    private async Task<(EngineResult? Result, string? Refusal)> EvaluateViewAsync(EngineRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return (await _engine.EvaluateAsync(request, cancellationToken).ConfigureAwait(false), null);
        }
        catch (ArgumentException e)
        {
            // The engine refuses prompts it cannot serve (too long for the context, ambiguous labels).
            return (null, e.Message);
        }
    }

    /// <summary>Predicts every input concurrently with <see cref="PredictionOptions.Estimate"/>; results are in input order.</summary>
    public Task<IReadOnlyList<PropertyPrediction>> PredictManyAsync(PropertyTask task, IReadOnlyList<string> inputs, CancellationToken cancellationToken = default) =>
        PredictManyAsync(task, inputs, Options.Estimate, cancellationToken);

    /// <summary>Predicts every input concurrently (the engine batches them); results are in input order.</summary>
    public async Task<IReadOnlyList<PropertyPrediction>> PredictManyAsync(PropertyTask task, IReadOnlyList<string> inputs, NumericEstimate estimate, CancellationToken cancellationToken = default)
    {
        var pending = new Task<PropertyPrediction>[inputs.Count];
        for (var i = 0; i < inputs.Count; i++) pending[i] = PredictAsync(task, inputs[i], estimate, cancellationToken).AsTask();
        return await Task.WhenAll(pending).ConfigureAwait(false);
    }

    private PropertyPrediction Interpret(PropertyTask task, string input, EngineResult result, NumericEstimate estimate)
    {
        if (task.Answer is ClassAnswer classes)
        {
            var labels = result.Labels ?? throw new InvalidOperationException("The engine returned no label probabilities.");
            IReadOnlyList<double> probabilities = [.. labels.Select(l => l.Probability)];
            if (Calibration?.TemperatureFor(task.Name) is { } temperature) probabilities = temperature.Apply(probabilities);
            var byName = classes.Classes.Select((c, i) => (c.Name, Probability: probabilities[i]))
                .ToImmutableDictionary(p => p.Name, p => p.Probability);
            var best = classes.Classes.Select((c, i) => (c, p: probabilities[i])).MaxBy(x => x.p);
            var probability = task.Kind == TaskKind.Binary ? probabilities[1] : best.p;
            return new PropertyPrediction(task.Name, input, null, best.c.Name, probability, byName,
                classes.CommonPrefix + best.c.Option, null, Cost: result.Cost);
        }

        if (result.Error is { } error)
            return PropertyPrediction.Failed(task.Name, input, error, result.Text) with { Cost = result.Cost };
        if (result.Distribution is { } distribution)
        {
            var value = estimate == NumericEstimate.Mean ? distribution.Mean : distribution.Median;
            var (low, high) = Calibration?.IntervalFor(task.Name) is { } interval
                ? interval.Apply(distribution, value)
                : distribution.CentralInterval(Options.IntervalLevel);
            return new PropertyPrediction(task.Name, input, value, null, null, null, result.Text, null, Cost: result.Cost,
                Distribution: distribution, Low: low, High: high);
        }

        var parsed = task.Answer.Parse(result.Text);
        var spread = result.Spread is { ParsedCount: > 1 } s ? s.StandardDeviation : (double?)null;
        return parsed.Succeeded
            ? new PropertyPrediction(task.Name, input, parsed.Value!.AsNumber(), null, null, null, result.Text, null, spread, result.Cost)
            : new PropertyPrediction(task.Name, input, null, null, null, null, result.Text, parsed.Error, spread, result.Cost);
    }
}

using System.Collections.Concurrent;
using System.Collections.Immutable;
using DarwinGrid.Domain.Prompts;
using DarwinGrid.Domain.Tasks;
using DarwinGrid.Inference.Engine;

namespace DarwinGrid.Grains.Models;

/// <summary>
/// A task + inputs -> <see cref="Prediction"/>s on one <see cref="InferenceEngine"/>: builds each
/// task's prompt with the version's prompt format (the instruction part shared across inputs),
/// decodes a number for regression tasks and scores the class options for classification, and
/// reads the answer with the task's answer format, keeping parse errors on the prediction.
/// Every input of a batch is queued at once so the engine's continuous batching sees them all.
/// </summary>
/// <remarks>
/// A stand-in for the lead's <c>PropertyPredictor</c> (src/Inference/Prediction); it is the only
/// place that knows how a prompt is built, so switching over touches this file alone.
/// </remarks>
public sealed class EnginePropertyPredictor(InferenceEngine engine, string modelVersion, IPromptFormat format, int maxAnswerTokens) : IPropertyPredictor
{
    // Classes whose options share a first token (e.g. a character-level vocabulary) cannot be scored
    // in one pass; those tasks fall back to free text read by the answer format.
    private readonly ConcurrentDictionary<string, bool> _labelsUnusable = new(StringComparer.Ordinal);
    private long _tokens;

    public long TokensProcessed => Interlocked.Read(ref _tokens);

    public async Task<IReadOnlyList<Prediction>> PredictAsync(string task, IReadOnlyList<string> inputs, CancellationToken cancellationToken)
    {
        var definition = TaskCatalog.Get(task);
        var instruction = definition.Instructions[0];
        var prefix = format.Prefix(instruction);
        var results = await Task.WhenAll(inputs.Select(input => PredictOneAsync(definition, instruction, prefix, input, cancellationToken))).ConfigureAwait(false);
        return results;
    }

    private async Task<Prediction> PredictOneAsync(PropertyTask task, string instruction, string prefix, string input, CancellationToken cancellationToken)
    {
        var prompt = format.Complete(instruction, task.DarwinInput(input));
        if (!prompt.StartsWith(prefix, StringComparison.Ordinal))
            return Failed(task, "", $"The prompt format '{format.Name}' does not start the prompt with its prefix.");
        var suffix = prompt[prefix.Length..];
        try
        {
            if (task.Answer is ClassAnswer classes && !_labelsUnusable.ContainsKey(task.Name))
            {
                try
                {
                    return await ScoreClassesAsync(task, classes, prefix, suffix, cancellationToken).ConfigureAwait(false);
                }
                catch (ArgumentException) when (!cancellationToken.IsCancellationRequested)
                {
                    _labelsUnusable[task.Name] = true;
                }
            }
            ResponseMode mode = task.Kind == TaskKind.Regression ? new ResponseMode.Numeric(maxAnswerTokens) : new ResponseMode.FreeText(Math.Max(16, maxAnswerTokens));
            var result = await engine.EvaluateAsync(new EngineRequest(prefix, suffix, mode), cancellationToken).ConfigureAwait(false);
            Count(result.Cost);
            return FromText(task, result.Text);
        }
        catch (ArgumentException e) when (!cancellationToken.IsCancellationRequested)
        {
            // The engine refuses this prompt (too long for the context...): an answer for this input only.
            return Failed(task, "", e.Message);
        }
    }

    private async Task<Prediction> ScoreClassesAsync(PropertyTask task, ClassAnswer classes, string prefix, string suffix, CancellationToken cancellationToken)
    {
        var options = classes.Classes.Select(c => c.Option).ToArray();
        var result = await engine.EvaluateAsync(
            new EngineRequest(prefix, suffix + classes.CommonPrefix, new ResponseMode.Labels(options)), cancellationToken).ConfigureAwait(false);
        Count(result.Cost);
        var probabilities = ImmutableDictionary.CreateBuilder<string, double>(StringComparer.Ordinal);
        for (var i = 0; i < classes.Classes.Count; i++)
            probabilities[classes.Classes[i].Name] = result.Labels![i].Probability;
        var best = classes.Classes[Array.IndexOf(options, result.Text)];
        double? positive = task.Kind == TaskKind.Binary ? probabilities[classes.Classes[1].Name] : probabilities[best.Name];
        return new Prediction(task.Name, modelVersion, null, best.Name, positive, result.Text, null, probabilities.ToImmutable());
    }

    private Prediction FromText(PropertyTask task, string text)
    {
        var parsed = task.Answer.Parse(text);
        return parsed.Value switch
        {
            TargetValue.Number number => new Prediction(task.Name, modelVersion, number.Value, null, null, text),
            TargetValue.Class label => new Prediction(task.Name, modelVersion, null, label.Name,
                task.Kind == TaskKind.Binary ? (label.Index == 1 ? 1.0 : 0.0) : null, text),
            _ => Failed(task, text, parsed.Error ?? "The answer could not be read."),
        };
    }

    private Prediction Failed(PropertyTask task, string raw, string error) => new(task.Name, modelVersion, null, null, null, raw, error);

    private void Count(RequestCost cost) => Interlocked.Add(ref _tokens, cost.PromptTokensEvaluated + cost.GeneratedTokens);

    public ValueTask DisposeAsync() => engine.DisposeAsync();
}

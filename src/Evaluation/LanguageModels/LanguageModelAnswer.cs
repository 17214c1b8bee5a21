using DarwinGrid.Domain.Tasks;
using DarwinGrid.Evaluation.Models;

namespace DarwinGrid.Evaluation.LanguageModels;

/// <summary>
/// How a language model's answer is read for scoring, wherever it is scored (<c>darwin eval --model llm:...</c>
/// and the training grain's held-out fold): an error stays a failure; a regression answer is its finite
/// number with the central interval it carries; a classification answer needs a probability for every
/// class of the task. Anything else is a failure the harness counts and scores as the dummy's.
/// </summary>
public static class LanguageModelAnswer
{
    /// <param name="labelProbabilities">Probability per class name (classification).</param>
    /// <param name="rawAnswer">The model's text, quoted in a failure.</param>
    public static ModelOutput ToOutput(PropertyTask task, string? error, double? value, double? low, double? high,
        IReadOnlyDictionary<string, double>? labelProbabilities, string rawAnswer)
    {
        if (error is not null)
            return ModelOutput.Failure(error);
        if (task.Kind == TaskKind.Regression)
            return value is { } number && double.IsFinite(number) ? ModelOutput.Number(number, low, high) : ModelOutput.Failure($"no number in '{rawAnswer}'");
        if (labelProbabilities is null || task.Classes.Any(c => !labelProbabilities.ContainsKey(c.Name)))
            return ModelOutput.Failure($"no probability for every class of {task.Name} in the answer '{rawAnswer}'");
        return ModelOutput.Classes([.. task.Classes.Select(c => labelProbabilities[c.Name])]);
    }
}

using DarwinGrid.Domain.Predictions;
using DarwinGrid.Evaluation.Models;

namespace DarwinGrid.Silo.LanguageModelEvaluation;

/// <summary>
/// <c>darwin eval --model path/to/model.gguf</c>: a trained language model, scored as it is (it must
/// have been trained without the folds it is evaluated on; see the model's manifest).
/// </summary>
public sealed class LanguageModelSpecs(NumericEstimate estimate = NumericEstimate.Median, int views = 1, Action<string>? warn = null) : IModelSpecResolver
{
    public IReadOnlyList<string> AcceptedSpecs { get; } = ["<file>.gguf"];

    public ModelSpec? TryResolve(string spec, ModelSpecContext context)
    {
        if (!spec.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase)) return null;
        var path = Path.GetFullPath(spec);
        if (!File.Exists(path)) throw new ArgumentException($"Model file '{path}' does not exist.");
        var name = Path.GetFileNameWithoutExtension(path);
        return new ModelSpec(name, $"language model {path} (darwin prompt format; {Answers(estimate, views)})",
            _ => new LanguageModelPropertyModel(path, name, estimate: estimate, views: views, warn: warn), Variant(estimate, views));
    }

    /// <summary>The median of one view is the default answer; other estimates and view counts keep their own predictions files ("greedy", "views4", "mean-views4").</summary>
    public static string? Variant(NumericEstimate estimate, int views = 1)
    {
        string[] parts = [.. new[] { estimate == NumericEstimate.Median ? null : estimate.Name(), views == 1 ? null : $"views{views}" }.OfType<string>()];
        return parts.Length == 0 ? null : string.Join("-", parts);
    }

    public static string Answers(NumericEstimate estimate, int views = 1) => (estimate switch
    {
        NumericEstimate.Greedy => "constrained greedy numbers, first-answer-token class probabilities",
        _ => $"the {estimate.Name()} of each number's distribution with its 90% interval, first-answer-token class probabilities",
    }) + (views == 1 ? "" : $", pooled over {views} views of each candidate (instructions and spellings)");
}

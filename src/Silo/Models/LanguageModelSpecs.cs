using DarwinGrid.Evaluation.Models;

namespace DarwinGrid.Silo.Models;

/// <summary>
/// <c>darwin eval --model path/to/model.gguf</c>: a trained language model, scored as it is (it must
/// have been trained without the folds it is evaluated on; see the model's manifest).
/// </summary>
public sealed class LanguageModelSpecs : IModelSpecResolver
{
    public IReadOnlyList<string> AcceptedSpecs { get; } = ["<file>.gguf"];

    public ModelSpec? TryResolve(string spec, ModelSpecContext context)
    {
        if (!spec.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase)) return null;
        var path = Path.GetFullPath(spec);
        if (!File.Exists(path)) throw new ArgumentException($"Model file '{path}' does not exist.");
        var name = Path.GetFileNameWithoutExtension(path);
        return new ModelSpec(name, $"language model {path} (darwin prompt format; constrained greedy numbers, first-answer-token class probabilities)",
            _ => new LanguageModelPropertyModel(path, name));
    }
}

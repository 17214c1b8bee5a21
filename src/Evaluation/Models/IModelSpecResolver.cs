namespace DarwinGrid.Evaluation.Models;

/// <summary>
/// Turns a model spec from the command line (<c>dummy</c>, <c>magpie-gbt</c>, later <c>file.gguf</c>
/// or <c>mini</c>) into a <see cref="ModelSpec"/>, or declines with null so the next resolver can try.
/// </summary>
public interface IModelSpecResolver
{
    /// <summary>How the specs this resolver accepts look, for help and error messages.</summary>
    IReadOnlyList<string> AcceptedSpecs { get; }

    ModelSpec? TryResolve(string spec, ModelSpecContext context);
}

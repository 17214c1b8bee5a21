namespace DarwinGrid.Evaluation.Models;

/// <summary>Asks each resolver in turn; the first that accepts a spec wins.</summary>
public sealed class ModelSpecRegistry(IEnumerable<IModelSpecResolver> resolvers)
{
    private readonly IReadOnlyList<IModelSpecResolver> _resolvers = resolvers.ToList();

    public IEnumerable<string> AcceptedSpecs => _resolvers.SelectMany(r => r.AcceptedSpecs);

    /// <exception cref="ArgumentException">No resolver accepts the spec; the message lists what is accepted.</exception>
    public ModelSpec Resolve(string spec, ModelSpecContext context)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(spec);
        foreach (var resolver in _resolvers)
        {
            if (resolver.TryResolve(spec.Trim(), context) is { } model)
                return model;
        }
        throw new ArgumentException($"Unknown model '{spec}'. Accepted: {string.Join(", ", AcceptedSpecs)}.");
    }
}

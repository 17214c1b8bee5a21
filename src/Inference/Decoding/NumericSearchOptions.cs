namespace DarwinGrid.Inference.Decoding;

/// <summary>
/// How far the distribution search over complete numbers goes. It keeps the <see cref="Beams"/>
/// most probable unfinished prefixes (each one KV sequence), drops prefixes less probable than
/// <see cref="MinPathProbability"/>, and stops once the finished numbers hold
/// <see cref="TargetMass"/> of the probability or <see cref="MaxPaths"/> numbers are finished.
/// </summary>
public sealed record NumericSearchOptions(int Beams = 6, double TargetMass = 0.99, int MaxPaths = 64, double MinPathProbability = 1e-3)
{
    public static NumericSearchOptions Default { get; } = new();

    /// <summary>Every path the cap allows: for tests against brute-force enumeration.</summary>
    public static NumericSearchOptions Exhaustive(int beams) => new(beams, TargetMass: 1.0, MaxPaths: int.MaxValue, MinPathProbability: 0);

    public NumericSearchOptions Validated()
    {
        if (Beams < 1) throw new ArgumentException($"The search needs at least one beam (got {Beams}).");
        if (!(TargetMass is > 0 and <= 1)) throw new ArgumentException($"The search's target mass must be in (0, 1] (got {TargetMass}).");
        if (MaxPaths < 1) throw new ArgumentException($"The search needs at least one path (got {MaxPaths}).");
        if (!(MinPathProbability is >= 0 and < 1)) throw new ArgumentException($"The search's minimum path probability must be in [0, 1) (got {MinPathProbability}).");
        return this;
    }
}

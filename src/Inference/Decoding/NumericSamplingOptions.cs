namespace DarwinGrid.Inference.Decoding;

/// <summary>
/// How many whole numbers <see cref="NumericSampler"/> draws per prompt: <see cref="Samples"/> at
/// <see cref="Temperature"/> (1: the model's own distribution), plus the greedy answer when
/// <see cref="IncludeGreedy"/>. A draw's randomness comes from <see cref="Seed"/> and the prompt's
/// tokens, so the same prompt always gets the same answer. At most <see cref="Beams"/> distinct
/// prefixes are followed at once (each one KV sequence); more wait and start again from the prompt.
/// By default every answer can have its own sequence (17 = 16 samples + greedy): with 8, the
/// prefixes drawn beyond 8 started again from the prompt and 40.2 answer tokens were evaluated per
/// candidate instead of 28.5, which cost 4.3x greedy instead of 2.7–2.8x (docs/benchmarks.md).
/// </summary>
public sealed record NumericSamplingOptions(int Samples = 16, double Temperature = 1.0, bool IncludeGreedy = true, int Seed = 0, int Beams = 17)
{
    public static NumericSamplingOptions Default { get; } = new();

    /// <summary>Answers drawn: the samples and the greedy one.</summary>
    public int Answers => Samples + (IncludeGreedy ? 1 : 0);

    /// <summary>KV sequences the sampler holds at once: never more than it has answers to follow.</summary>
    public int Width => Math.Min(Beams, Answers);

    public NumericSamplingOptions Validated()
    {
        if (Samples < 0) throw new ArgumentException($"The number of samples must not be negative (got {Samples}).");
        if (Beams < 1) throw new ArgumentException($"The sampler needs at least one beam (got {Beams}).");
        if (Answers < 1) throw new ArgumentException("The sampler needs at least one answer: a sample or the greedy one.");
        if (!(Temperature > 0 && double.IsFinite(Temperature))) throw new ArgumentException($"The sampling temperature must be positive (got {Temperature}).");
        return this;
    }
}

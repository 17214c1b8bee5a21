namespace DarwinGrid.Inference.Engine;

/// <summary>What the engine produces after a prompt.</summary>
public abstract record ResponseMode
{
    private ResponseMode() { }

    /// <summary>
    /// Greedy decoding restricted to tokens that keep the answer a valid number prefix (optional
    /// leading space, sign, digits, point, exponent); stops at newline/EOS once the number is
    /// complete, or after <paramref name="MaxTokens"/>. With <paramref name="Sampling"/>, extra
    /// seeded samples give a mean and spread.
    /// </summary>
    public sealed record Numeric(int MaxTokens = 12, NumericSampling? Sampling = null) : ResponseMode;

    /// <summary>
    /// The model's distribution over the whole number, its paths sharing the prompt's KV cells:
    /// by default <paramref name="Sampling"/> (<see cref="Decoding.NumericSampler"/>: whole numbers
    /// drawn from the constrained grammar's distribution, plus the greedy one), or, when
    /// <paramref name="Search"/> is given, a beam search that keeps the most probable prefixes
    /// (<see cref="Decoding.NumericSearch"/>: exact path probabilities, but biased to short numbers
    /// when every digit is uncertain). <paramref name="MaxTokens"/> caps each path; a path it cuts
    /// short is lost, never a value.
    /// </summary>
    public sealed record NumberDistribution(int MaxTokens = 32, Decoding.NumericSearchOptions? Search = null, Decoding.NumericSamplingOptions? Sampling = null) : ResponseMode;

    /// <summary>
    /// One forward pass: softmax over the logits of each label's first token after the prompt.
    /// The labels must start with different tokens.
    /// </summary>
    public sealed record Labels(IReadOnlyList<string> Choices) : ResponseMode;

    /// <summary>Unconstrained greedy generation up to a newline, EOS or <paramref name="MaxTokens"/>.</summary>
    public sealed record FreeText(int MaxTokens = 64) : ResponseMode;

    /// <summary>Most tokens this mode may generate (the KV budget it reserves).</summary>
    public int AnswerTokenBudget => this switch
    {
        Numeric n => n.MaxTokens,
        NumberDistribution d => d.MaxTokens,
        FreeText f => f.MaxTokens,
        _ => 0,
    };
}

/// <summary>
/// <paramref name="Samples"/> extra answers sampled at <paramref name="Temperature"/> from the
/// same constrained distribution; sample i uses the seed <c>Seed + i</c>.
/// </summary>
public sealed record NumericSampling(int Samples, float Temperature = 0.8f, int Seed = 0);

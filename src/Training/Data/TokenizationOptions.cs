namespace DarwinGrid.Training.Data;

/// <summary>What to do with an example longer than <see cref="TokenizationOptions.MaxTokens"/>.</summary>
public enum OverLengthPolicy
{
    /// <summary>Leave it out and count it (never cut: a cut response teaches a wrong answer, a cut prompt is not what inference feeds).</summary>
    Drop,
    /// <summary>Throw, naming the example.</summary>
    Fail,
}

public sealed record TokenizationOptions
{
    /// <summary>
    /// Longest prompt + response (BOS and EOS included) an example may have: the trainer's context.
    /// 1024 keeps every catalog example in the darwin format (the longest, SII_MDP device schemas,
    /// are about 540-700 tokens); a smaller window drops those and reports them.
    /// </summary>
    public int MaxTokens { get; init; } = 1024;

    public OverLengthPolicy OverLength { get; init; } = OverLengthPolicy.Drop;

    /// <summary>
    /// No longer changes anything: prompt + response is always encoded as one text (the answer is read
    /// from it as the engine reads labels), so <see cref="TokenStatistics.BoundaryMerges"/> is always counted.
    /// </summary>
    public bool CheckBoundaries { get; init; }

    public TokenizationOptions Validated() =>
        MaxTokens >= 3 ? this : throw new ArgumentOutOfRangeException(nameof(MaxTokens), MaxTokens, "An example needs at least BOS, one token and EOS.");
}

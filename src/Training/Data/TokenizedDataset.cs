namespace DarwinGrid.Training.Data;

/// <summary>An example left out for being longer than the limit.</summary>
/// <param name="Index">Its position in the input list.</param>
public sealed record DroppedExample(int Index, string Task, int Tokens, int MaxTokens);

/// <summary>Tokenized examples in input order (minus the dropped ones), and their statistics.</summary>
public sealed record TokenizedDataset(
    IReadOnlyList<TokenizedExample> Examples,
    IReadOnlyList<DroppedExample> Dropped,
    TokenStatistics Statistics)
{
    /// <summary>The same examples with those longer than <paramref name="maxTokens"/> dropped (for a dataset nothing was dropped from yet).</summary>
    public TokenizedDataset Within(int maxTokens)
    {
        if (Dropped.Count > 0) throw new InvalidOperationException("Within() needs a dataset from which nothing was dropped yet.");
        var kept = Examples.Where(e => e.Length <= maxTokens).ToArray();
        var dropped = Examples.Select((e, i) => (e, i)).Where(x => x.e.Length > maxTokens)
            .Select(x => new DroppedExample(x.i, x.e.Task, x.e.Length, maxTokens)).ToArray();
        return new TokenizedDataset(kept, dropped, TokenStatistics.Of(kept, dropped, Statistics.BoundaryMerges));
    }
}

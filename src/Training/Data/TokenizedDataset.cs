namespace DarwinGrid.Training.Data;

/// <summary>An example left out for being longer than the limit.</summary>
/// <param name="Index">Its position in the input list.</param>
public sealed record DroppedExample(int Index, string Task, int Tokens, int MaxTokens);

/// <summary>Tokenized examples in input order (minus the dropped ones), and their statistics.</summary>
public sealed record TokenizedDataset(
    IReadOnlyList<TokenizedExample> Examples,
    IReadOnlyList<DroppedExample> Dropped,
    TokenStatistics Statistics);

namespace DarwinGrid.Inference.Decoding;

/// <summary>
/// The tokens constrained numeric decoding may take after a number prefix: every number token that
/// keeps it a valid prefix (multi-digit BPE pieces and a leading space included), plus the
/// terminators (newline, end of generation) once the number is complete.
/// </summary>
internal static class NumericGrammar
{
    /// <summary>Fills <paramref name="numbers"/> with the allowed number tokens; true when a terminator is allowed too.</summary>
    public static bool Allowed(TokenPieces pieces, NumberScanner scanner, List<int> numbers)
    {
        numbers.Clear();
        foreach (var token in pieces.NumericTokens)
        {
            var copy = scanner;
            if (copy.TryAdvance(pieces.AsciiText(token)!)) numbers.Add(token);
        }
        return scanner.IsComplete;
    }

    public static bool IsTerminator(TokenPieces pieces, int token) =>
        pieces.IsEndOfGeneration(token) || pieces.Bytes(token) is [(byte)'\n', ..];

    /// <summary>The message of an answer the token cap cut short: a failure, never a truncated value.</summary>
    public static string CapReached(int maxTokens, string text) =>
        $"The numeric answer reached the {maxTokens}-token cap before it ended ('{text}' so far); a truncated number would be wrong, so there is no value. Raise the cap (MaxNumericTokens).";
}

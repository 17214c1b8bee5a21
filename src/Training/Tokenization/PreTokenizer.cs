namespace DarwinGrid.Training.Tokenization;

public enum PreTokenKind
{
    /// <summary><c>▁?[A-Z]?[a-z]+</c>: a word, a capitalised word, or an element symbol.</summary>
    Word,
    /// <summary><c>▁?</c> followed by ASCII characters that are neither letters nor digits (punctuation, newlines, tabs).</summary>
    SymbolRun,
    /// <summary>Any other single character: a digit, an upper-case letter, a lone <c>▁</c>, a non-ASCII character.</summary>
    Single,
}

public readonly record struct PreToken(string Text, PreTokenKind Kind)
{
    public bool HasSpacePrefix => Text.Length > 1 && Text[0] == SentencePieceText.SpaceSymbol;

    /// <summary>The text without its leading <c>▁</c>.</summary>
    public string Core => HasSpacePrefix ? Text[1..] : Text;
}

/// <summary>
/// Splits whitespace-escaped text (as the SentencePiece tokenizers see it) into the units the
/// vocabulary builder counts. The split is chosen so that no piece we build can straddle two
/// units: words never contain upper-case letters after their first character, so formulas such
/// as <c>CrFe14</c> always fall apart into element symbols and digits.
/// </summary>
public static class PreTokenizer
{
    public static IEnumerable<PreToken> Split(string escaped)
    {
        var i = 0;
        while (i < escaped.Length)
        {
            var start = i;
            var afterSpace = escaped[i] == SentencePieceText.SpaceSymbol ? i + 1 : i;

            var end = ScanWord(escaped, afterSpace);
            if (end > afterSpace)
            {
                i = end;
                yield return new PreToken(escaped[start..end], PreTokenKind.Word);
                continue;
            }
            end = afterSpace;
            while (end < escaped.Length && IsSymbol(escaped[end])) end++;
            if (end > afterSpace)
            {
                i = end;
                yield return new PreToken(escaped[start..end], PreTokenKind.SymbolRun);
                continue;
            }
            i += char.IsHighSurrogate(escaped[i]) && i + 1 < escaped.Length && char.IsLowSurrogate(escaped[i + 1]) ? 2 : 1;
            yield return new PreToken(escaped[start..i], PreTokenKind.Single);
        }
    }

    private static int ScanWord(string text, int start)
    {
        var i = start;
        if (i < text.Length && char.IsAsciiLetterUpper(text[i])) i++;
        var lowerStart = i;
        while (i < text.Length && char.IsAsciiLetterLower(text[i])) i++;
        return i > lowerStart ? i : start;
    }

    public static bool IsSymbol(char c) => c < 128 && !char.IsAsciiLetterOrDigit(c) && c != ' ';
}

namespace DarwinGrid.Training.Tokenization;

/// <summary>The text transformation both tokenizers apply before splitting into pieces.</summary>
public static class SentencePieceText
{
    /// <summary>U+2581, the SentencePiece stand-in for a space.</summary>
    public const char SpaceSymbol = '\u2581';

    /// <summary>Spaces become <c>▁</c> and, with the dummy prefix, one <c>▁</c> is prepended (even before an existing space).</summary>
    public static string Escape(string text, bool addSpacePrefix = true)
    {
        var escaped = text.Replace(' ', SpaceSymbol);
        return addSpacePrefix ? SpaceSymbol + escaped : escaped;
    }
}

namespace DarwinGrid.Training.Tokenization;

/// <summary>
/// Learns a LLaMA-2-style SentencePiece BPE vocabulary from text: <c>&lt;unk&gt; &lt;s&gt; &lt;/s&gt;</c>,
/// the 256 byte-fallback pieces <c>&lt;0x00&gt;..&lt;0xFF&gt;</c>, the merged pieces in the order they were
/// learnt (score = minus the piece id, so every score is unique), then the single characters.
/// As in LLaMA, digits are split (no piece holds a digit besides the ten digits themselves), a
/// <c>▁</c> only starts a piece, and newlines and rare characters have no piece (byte fallback).
/// Deterministic: the same texts give the same vocabulary.
/// </summary>
public static class SentencePieceBpeTrainer
{
    /// <summary>LLaMA 1/2's vocabulary size.</summary>
    public const int LlamaVocabularySize = 32000;

    /// <summary>A character needs this many occurrences to get its own piece; rarer ones use byte fallback.</summary>
    public const int MinCharacterCount = 20;

    public static Vocabulary Train(IEnumerable<string> texts, int vocabularySize = LlamaVocabularySize)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var escaped = texts.Select(t => SentencePieceText.Escape(t)).ToArray();
        var alphabet = Alphabet(escaped);
        const int fixedPieces = 3 + 256;
        var minimum = fixedPieces + alphabet.Count;
        if (vocabularySize < minimum)
            throw new ArgumentOutOfRangeException(nameof(vocabularySize), vocabularySize,
                $"A SentencePiece vocabulary of this corpus needs at least {minimum} pieces (3 control, 256 bytes, {alphabet.Count} characters).");

        var merged = new BpeLearner(Segments(escaped, alphabet)).Learn(vocabularySize - minimum);
        var pieces = new List<VocabularyPiece>(vocabularySize)
        {
            new(VocabularyBuilder.UnknownPiece, 0, TokenType.Unknown),
            new(VocabularyBuilder.BosPiece, 0, TokenType.Control),
            new(VocabularyBuilder.EosPiece, 0, TokenType.Control),
        };
        for (var b = 0; b < 256; b++) pieces.Add(new($"<0x{b:X2}>", 0, TokenType.Byte));
        foreach (var piece in merged.Concat(alphabet.Order(StringComparer.Ordinal)))
            pieces.Add(new(piece, -pieces.Count, TokenType.Normal));
        return new Vocabulary(pieces, BosId: 1, EosId: 2, UnknownId: 0, AddSpacePrefix: true);
    }

    private static HashSet<string> Alphabet(string[] texts)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var text in texts)
            for (var i = 0; i < text.Length; i += char.IsSurrogatePair(text, i) ? 2 : 1)
            {
                var character = char.ConvertFromUtf32(char.ConvertToUtf32(text, i));
                counts[character] = counts.GetValueOrDefault(character) + 1;
            }
        var alphabet = counts.Where(c => c.Value >= MinCharacterCount && !char.IsControl(c.Key, 0) && !char.IsWhiteSpace(c.Key, 0))
            .Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
        for (var c = '!'; c <= '~'; c++) alphabet.Add(c.ToString());
        alphabet.Add(SentencePieceText.SpaceSymbol.ToString());
        return alphabet;
    }

    /// <summary>The mergeable runs of the texts with their counts: a run starts at <c>▁</c>, digits and characters without a piece end it.</summary>
    private static Dictionary<string, long> Segments(string[] texts, HashSet<string> alphabet)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        var run = new System.Text.StringBuilder();
        void Flush()
        {
            if (run.Length > 1)
            {
                var key = run.ToString();
                counts[key] = counts.GetValueOrDefault(key) + 1;
            }
            run.Clear();
        }
        foreach (var text in texts)
        {
            for (var i = 0; i < text.Length; i += char.IsSurrogatePair(text, i) ? 2 : 1)
            {
                var character = char.ConvertFromUtf32(char.ConvertToUtf32(text, i));
                if (character[0] == SentencePieceText.SpaceSymbol || char.IsAsciiDigit(character[0]) || !alphabet.Contains(character)) Flush();
                if (char.IsAsciiDigit(character[0]) || !alphabet.Contains(character)) continue;
                run.Append(character);
            }
            Flush();
        }
        return counts;
    }
}

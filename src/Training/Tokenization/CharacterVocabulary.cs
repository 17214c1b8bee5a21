using System.Text;

namespace DarwinGrid.Training.Tokenization;

/// <summary>
/// A character-level SentencePiece-style vocabulary for small models trained from scratch:
/// &lt;unk&gt;, &lt;s&gt;, &lt;/s&gt;, the 256 byte pieces llama.cpp needs for unknown characters, "▁" for
/// space, then every other character seen in the corpus (ordinal order, so the result is stable).
/// </summary>
public sealed class CharacterVocabulary
{
    private const char SpaceMarker = '▁';
    private readonly Dictionary<string, int> _ids;

    private CharacterVocabulary(Vocabulary vocabulary)
    {
        Vocabulary = vocabulary;
        _ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < vocabulary.Count; i++) _ids.TryAdd(vocabulary.Pieces[i].Piece, i);
    }

    public Vocabulary Vocabulary { get; }

    public static CharacterVocabulary Build(IEnumerable<string> corpus)
    {
        var pieces = new List<VocabularyPiece>
        {
            new("<unk>", 0, TokenType.Unknown),
            new("<s>", 0, TokenType.Control),
            new("</s>", 0, TokenType.Control),
        };
        for (var b = 0; b < 256; b++) pieces.Add(new($"<0x{b:X2}>", 0, TokenType.Byte));
        var characters = corpus.SelectMany(text => text.EnumerateRunes())
            .Select(r => r.Value == ' ' ? SpaceMarker.ToString() : r.ToString())
            .Append(SpaceMarker.ToString())
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        for (var i = 0; i < characters.Count; i++) pieces.Add(new(characters[i], -i - 1, TokenType.Normal));
        return new CharacterVocabulary(new Vocabulary(pieces, BosId: 1, EosId: 2, UnknownId: 0, AddSpacePrefix: false));
    }

    /// <summary>One token per character; characters outside the vocabulary become their UTF-8 byte pieces.</summary>
    public int[] Tokenize(string text)
    {
        var tokens = new List<int>(text.Length);
        Span<byte> bytes = stackalloc byte[4];
        foreach (var rune in text.EnumerateRunes())
        {
            var piece = rune.Value == ' ' ? SpaceMarker.ToString() : rune.ToString();
            if (_ids.TryGetValue(piece, out var id))
            {
                tokens.Add(id);
                continue;
            }
            var length = rune.EncodeToUtf8(bytes);
            foreach (var b in bytes[..length]) tokens.Add(_ids[$"<0x{b:X2}>"]);
        }
        return [.. tokens];
    }
}

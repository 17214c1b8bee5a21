using DarwinGrid.Training.Tokenization;

namespace DarwinGrid.Training.Tests.Gguf;

/// <summary>
/// A minimal valid SentencePiece-style vocabulary (specials, 256 byte pieces, printable ASCII, a few
/// words): trainer tests use it because a small vocabulary keeps their models and steps tiny.
/// </summary>
internal static class TinyVocabulary
{
    public static Vocabulary Create()
    {
        var pieces = new List<VocabularyPiece>
        {
            new("<unk>", 0, TokenType.Unknown),
            new("<s>", 0, TokenType.Control),
            new("</s>", 0, TokenType.Control),
        };
        for (var b = 0; b < 256; b++) pieces.Add(new($"<0x{b:X2}>", 0, TokenType.Byte));
        var normal = new List<string> { "▁" };
        for (var c = 33; c < 127; c++) normal.Add(((char)c).ToString());
        normal.AddRange(["▁band", "▁gap", "Fe", "▁Fe", "▁is"]);
        for (var i = 0; i < normal.Count; i++) pieces.Add(new(normal[i], -i - 1, TokenType.Normal));
        return new Vocabulary(pieces, BosId: 1, EosId: 2, UnknownId: 0);
    }
}

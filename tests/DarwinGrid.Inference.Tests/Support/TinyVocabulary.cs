using DarwinGrid.Training.Tokenization;

namespace DarwinGrid.Inference.Tests.Support;

/// <summary>
/// A minimal SentencePiece-style vocabulary: specials, 256 byte pieces, printable ASCII and a few
/// multi-character pieces (number pieces with a leading space, words of the band-gap prompt) so
/// merges and the leading-space rule are exercised. Stands in until the chemistry vocabulary lands.
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
        normal.AddRange(["▁band", "▁gap", "Fe", "▁Fe", "▁is", "▁of", "▁the", "▁a", "an", "in", "er", "on", "re", "at", "▁given",
            "▁composition", "▁What", "▁Below", "▁instruction", "▁Input", "▁Response", "Response", "Instruction",
            "▁0", "▁1", "▁2", "▁3", "0.", "1.", "00", "25", "▁-", "e-", "e+", "##", "###", "▁->"]);
        for (var i = 0; i < normal.Count; i++) pieces.Add(new(normal[i], -i - 1, TokenType.Normal));
        return new Vocabulary(pieces, BosId: 1, EosId: 2, UnknownId: 0);
    }
}

using DarwinGrid.Training.Tokenization;
using Xunit.Abstractions;

namespace DarwinGrid.Training.Tests.Tokenization;

[Collection(BuiltInVocabularyCollection.Name)]
public sealed class BuiltInVocabularyTests(BuiltInVocabularyFixture fixture, ITestOutputHelper output)
{
    private Vocabulary Vocabulary => fixture.Vocabulary;

    [Fact]
    public void HasTheSentencePieceLayoutLlamaCppExpects()
    {
        output.WriteLine($"{Vocabulary.Count} pieces");
        Assert.InRange(Vocabulary.Count, 300, 2200);
        Assert.Equal(("<unk>", TokenType.Unknown), (Vocabulary.Pieces[Vocabulary.UnknownId].Piece, Vocabulary.Pieces[Vocabulary.UnknownId].Type));
        Assert.Equal(("<s>", TokenType.Control), (Vocabulary.Pieces[Vocabulary.BosId].Piece, Vocabulary.Pieces[Vocabulary.BosId].Type));
        Assert.Equal(("</s>", TokenType.Control), (Vocabulary.Pieces[Vocabulary.EosId].Piece, Vocabulary.Pieces[Vocabulary.EosId].Type));
        var bytes = Vocabulary.Pieces.Where(p => p.Type == TokenType.Byte).Select(p => p.Piece).ToArray();
        Assert.Equal(Enumerable.Range(0, 256).Select(b => $"<0x{b:X2}>"), bytes);
        Assert.All(Vocabulary.Pieces.Where(p => p.Type is not (TokenType.Byte or TokenType.Control or TokenType.Unknown)),
            p => Assert.Equal(TokenType.Normal, p.Type));
        Assert.Equal(Vocabulary.Count, Vocabulary.Pieces.Select(p => p.Piece).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(Vocabulary.Count, Vocabulary.Pieces.Select(p => p.Score).Distinct().Count());
    }

    [Fact]
    public void EveryElementSymbolIsExactlyOnePiece()
    {
        var pieces = Vocabulary.Pieces.Select(p => p.Piece).ToList();
        Assert.Equal(118, ChemicalElements.Symbols.Count);
        Assert.All(ChemicalElements.Symbols, symbol => Assert.Single(pieces, symbol));
        // No "▁Fe": an element reads the same at the start of an input as inside a formula.
        Assert.DoesNotContain(pieces, p => p.Length > 1 && p[0] == SentencePieceText.SpaceSymbol && ChemicalElements.IsSymbol(p[1..]));
    }

    [Fact]
    public void DigitsAreTheOnlyPiecesWithDigits()
    {
        var withDigits = Vocabulary.Pieces.Where(p => p.Type == TokenType.Normal && p.Piece.Any(char.IsAsciiDigit)).Select(p => p.Piece);
        Assert.Equal(Enumerable.Range(0, 10).Select(d => d.ToString()), withDigits);
    }

    [Theory]
    [InlineData("▁Below")]
    [InlineData("▁instruction")]
    [InlineData("###")]
    [InlineData("▁Response")]
    [InlineData("\n\n")]
    [InlineData("▁band")]
    [InlineData("▁gap")]
    [InlineData("▁composition")]
    [InlineData("▁metal")]
    public void TemplateWordsArePieces(string piece) =>
        Assert.Contains(Vocabulary.Pieces, p => p.Piece == piece);

    [Theory]
    [InlineData("the composition", "▁composition")]
    [InlineData("a metal.", "▁metal")]
    [InlineData("wide band", "▁band")]
    [InlineData("### Instruction", "###")]
    public void ChosenWordsBecomeOneTokenInContext(string text, string expectedPiece) =>
        Assert.Contains(expectedPiece, fixture.Tokenizer.Pieces(fixture.Tokenizer.Encode(text)));

    [Fact]
    public void TheVocabularyIsRebuiltIdenticallyFromTheSameCorpus()
    {
        var again = BuiltInVocabulary.Create(fixture.Corpus);
        Assert.Equal(SentencePieceModelWriter.ToBytes(Vocabulary), SentencePieceModelWriter.ToBytes(again));
    }
}

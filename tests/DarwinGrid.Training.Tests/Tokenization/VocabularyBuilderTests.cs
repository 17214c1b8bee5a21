using DarwinGrid.Training.Tokenization;

namespace DarwinGrid.Training.Tests.Tokenization;

/// <summary>The builder on small, hand-written corpora, where the effect of each rule is visible.</summary>
public sealed class VocabularyBuilderTests
{
    private static readonly VocabularyBuilderOptions Small = new() { MinWordCount = 2, MinPhraseCount = 3, MinCharacterCount = 2, RequiredPieces = [] };

    private static string[] Corpus() =>
    [
        .. Enumerable.Repeat("The band gap of SnO2 is 3.6 eV at 300 K.", 5),
        .. Enumerable.Repeat("Is the compound metallic? No, it is not metal.", 4),
        "The band gap of Fe2O3 is 2.2 eV; µ and µ.",
    ];

    [Fact]
    public void FrequentWordsBecomeSingleTokensAndFormulasStayElementwise()
    {
        var tokenizer = new DarwinTokenizer(VocabularyBuilder.Build(Corpus(), Small));
        var pieces = tokenizer.Pieces(tokenizer.Encode("The band gap of SnO2 is wide", addBos: false));
        // "The band gap of" opens six texts: the whole run became one phrase; the formula did not join it.
        Assert.Equal(["▁The▁band▁gap▁of", "▁", "Sn", "O", "2", "▁is"], pieces.Take(6));
        Assert.Equal(["▁", "Sn", "O", "2"], tokenizer.Pieces(tokenizer.Encode("SnO2", addBos: false)));
        Assert.Contains("µ", tokenizer.Vocabulary.Pieces.Select(p => p.Piece));
    }

    [Fact]
    public void CapsLimitTheWordsAndPhrases()
    {
        var full = VocabularyBuilder.Build(Corpus(), Small);
        var noPhrases = VocabularyBuilder.Build(Corpus(), Small with { MaxPhrases = 0 });
        var noWords = VocabularyBuilder.Build(Corpus(), Small with { MaxWords = 0, MaxPhrases = 0 });
        Assert.True(full.Count > noPhrases.Count && noPhrases.Count > noWords.Count);
        Assert.DoesNotContain(noPhrases.Pieces, p => p.Piece.LastIndexOf(SentencePieceText.SpaceSymbol) > 0);
        // Without words: specials, bytes, single characters and the two-letter element symbols only.
        Assert.All(noWords.Pieces.Where(p => p.Type == TokenType.Normal && p.Piece.Length > 1),
            p => Assert.True(ChemicalElements.IsSymbol(p.Piece), p.Piece));
    }

    [Fact]
    public void TheVocabularyDependsOnTheTextsNotOnTheirOrder()
    {
        var forward = SentencePieceModelWriter.ToBytes(VocabularyBuilder.Build(Corpus(), Small));
        Assert.Equal(forward, SentencePieceModelWriter.ToBytes(VocabularyBuilder.Build(Corpus(), Small)));
        Assert.Equal(forward, SentencePieceModelWriter.ToBytes(VocabularyBuilder.Build(Corpus().Reverse(), Small)));
        Assert.NotEqual(forward, SentencePieceModelWriter.ToBytes(VocabularyBuilder.Build(Corpus().Skip(5), Small)));
    }

    [Fact]
    public void WordsWithEqualCountsAreTakenInOrdinalOrder()
    {
        var vocabulary = VocabularyBuilder.Build(["zeta alpha mid", "zeta alpha mid"], Small with { MaxWords = 2, MaxPhrases = 0 });
        var words = vocabulary.Pieces.Select(p => p.Piece).Where(p => p.StartsWith('▁') && p.Length > 1).ToArray();
        Assert.Equal(["▁alpha", "▁mid"], words);
    }

    [Theory]
    [InlineData("two words")]
    [InlineData("▁Fe")]
    [InlineData("abc1")]
    public void RequiredPiecesThatCannotBeOnePieceAreRejected(string piece)
    {
        var error = Assert.Throws<ArgumentException>(() => VocabularyBuilder.Build(["text"], Small with { RequiredPieces = [piece] }));
        Assert.Contains(piece, error.Message);
    }

    [Fact]
    public void OutOfRangeOptionsAreRejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => VocabularyBuilder.Build(["text"], Small with { MinWordCount = 0 }));
}

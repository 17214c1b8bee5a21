using DarwinGrid.Training.Tokenization;
using Microsoft.ML.Tokenizers;

namespace DarwinGrid.Training.Tests.Tokenization;

[Collection(BuiltInVocabularyCollection.Name)]
public sealed class DarwinTokenizerTests(BuiltInVocabularyFixture fixture)
{
    [Fact]
    public void TheSentencePieceModelCarriesTheSettingsThatMatchLlamaCpp()
    {
        using var model = new MemoryStream(SentencePieceModelWriter.ToBytes(fixture.Vocabulary));
        var tokenizer = SentencePieceTokenizer.Create(model, true, false, null);
        Assert.True(tokenizer.ByteFallback);
        Assert.True(tokenizer.AddDummyPrefix);
        Assert.True(tokenizer.EscapeWhiteSpaces);
        Assert.False(tokenizer.TreatWhitespaceAsSuffix);
        Assert.Equal((0, 1, 2), (tokenizer.UnknownId, tokenizer.BeginningOfSentenceId, tokenizer.EndOfSentenceId));
        Assert.Equal(fixture.Vocabulary.Count, tokenizer.Vocabulary.Count);
        Assert.All(fixture.Vocabulary.Pieces.Select((p, id) => (p, id)).Where(x => x.p.Type == TokenType.Normal),
            x => Assert.Equal(x.id, tokenizer.Vocabulary[x.p.Piece]));
    }

    [Fact]
    public void EncodeStartsWithBosOnlyWhenAsked()
    {
        var withBos = fixture.Tokenizer.Encode("band gap");
        var without = fixture.Tokenizer.Encode("band gap", addBos: false);
        Assert.Equal(fixture.Vocabulary.BosId, withBos[0]);
        Assert.Equal(without, withBos[1..]);
        Assert.Equal([fixture.Vocabulary.BosId], fixture.Tokenizer.Encode(""));
        Assert.Empty(fixture.Tokenizer.Encode("", addBos: false));
    }

    [Fact]
    public void DecodeRestoresTheText()
    {
        var texts = ParityCorpus.Sample(fixture.Corpus, stride: 97)
            .Where(t => t.Length > 0 && t[0] != ' ' && !t.Contains('\u2581')).ToArray();
        Assert.True(texts.Length > 500);
        Assert.All(texts, text => Assert.Equal(text, fixture.Tokenizer.Decode(fixture.Tokenizer.Encode(text))));
    }

    [Fact]
    public void DecodeContinuationKeepsTheLeadingSpaceOfGeneratedText()
    {
        var texts = ParityCorpus.Sample(fixture.Corpus, stride: 97).Where(t => t.Length > 0 && !t.Contains('\u2581')).ToArray();
        // Encoding adds one space in front (the dummy prefix); a continuation keeps it.
        Assert.All(texts, text => Assert.Equal(" " + text, fixture.Tokenizer.DecodeContinuation(fixture.Tokenizer.Encode(text))));
        var answer = fixture.Tokenizer.Encode(" 1.51\n", addBos: false)[1..]; // what a model generates after "### Response:"
        Assert.Equal(" 1.51\n", fixture.Tokenizer.DecodeContinuation(answer));
        Assert.Equal("1.51\n", fixture.Tokenizer.Decode(answer));
    }

    [Fact]
    public void EncodeContinuationIsEncodeWithoutTheDummyPrefix()
    {
        var texts = ParityCorpus.Sample(fixture.Corpus, stride: 97).Where(t => t.Length > 0 && !t.Contains('\u2581')).ToArray();
        Assert.True(texts.Length > 500);
        // Encode adds one "▁" in front; a continuation that starts with a space is the same text.
        Assert.All(texts, text => Assert.Equal(fixture.Tokenizer.Encode(text, addBos: false), fixture.Tokenizer.EncodeContinuation(" " + text)));
        Assert.All(texts, text => Assert.Equal(text, fixture.Tokenizer.DecodeContinuation(fixture.Tokenizer.EncodeContinuation(text))));
        Assert.Equal(["\u2581", "1", ".", "5", "1", "\n"], fixture.Tokenizer.Pieces(fixture.Tokenizer.EncodeContinuation(" 1.51\n")));
        Assert.Empty(fixture.Tokenizer.EncodeContinuation(""));
    }

    [Fact]
    public void DecodeRejectsIdsOutsideTheVocabulary()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => fixture.Tokenizer.Decode([1, fixture.Vocabulary.Count]));
        Assert.Contains("position 1", error.Message);
    }
}

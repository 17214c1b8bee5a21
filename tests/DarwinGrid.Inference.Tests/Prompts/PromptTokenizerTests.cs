using DarwinGrid.Inference.Engine;
using DarwinGrid.Inference.Prompts;
using DarwinGrid.Inference.Tests.Support;

namespace DarwinGrid.Inference.Tests.Prompts;

/// <summary>How llama.cpp's SentencePiece tokenizer treats a prompt split into prefix and suffix.</summary>
public sealed class PromptTokenizerTests(TinyModelFile model) : IClassFixture<TinyModelFile>
{
    [Fact]
    public async Task AnAlpacaPromptSharesItsWholePrefixAndSplitsExactlyLikeTheWholePrompt()
    {
        await using var engine = InferenceEngine.Start(model.Options(seqMax: 1));
        foreach (var composition in BandGapPrompts.Compositions(50))
        {
            var prepared = engine.Tokenizer.Prepare(BandGapPrompts.Prefix, BandGapPrompts.Suffix(composition));
            Assert.Equal(engine.Tokenizer.Tokenize(BandGapPrompts.Prefix + BandGapPrompts.Suffix(composition)), prepared.Tokens);
            Assert.Equal(prepared.PrefixTokens.Length, prepared.SharedLength);
            Assert.Equal(prepared.PrefixTokens, prepared.Tokens[..prepared.SharedLength]);
        }
    }

    [Fact]
    public async Task TokenizingTheSuffixAloneAddsALeadingSpaceEvenWithoutBos()
    {
        // Why the engine never tokenizes the suffix on its own: llama.cpp prefixes the first text
        // fragment with a space (add_space_prefix) whether or not BOS is added.
        await using var engine = InferenceEngine.Start(model.Options(seqMax: 1));
        var suffix = BandGapPrompts.Suffix("Fe2O3");
        var prepared = engine.Tokenizer.Prepare(BandGapPrompts.Prefix, suffix);
        var alone = engine.Tokenizer.Tokenize(suffix, addBos: false);
        Assert.NotEqual(prepared.Tokens[prepared.SharedLength..], alone);
        Assert.Equal(" Fe", engine.Pieces.Decode([alone[0]]));
        Assert.Equal("Fe", engine.Pieces.Decode([prepared.Tokens[prepared.SharedLength]]));
    }

    [Fact]
    public void CommonPrefixLengthStopsAtTheFirstDifference()
    {
        Assert.Equal(2, PromptTokenizer.CommonPrefixLength([1, 5, 7], [1, 5, 8, 9]));
        Assert.Equal(0, PromptTokenizer.CommonPrefixLength([2], [1]));
        Assert.Equal(3, PromptTokenizer.CommonPrefixLength([1, 5, 7], [1, 5, 7]));
    }
}

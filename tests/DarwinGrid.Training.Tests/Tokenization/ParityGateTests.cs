using DarwinGrid.Training.Data;
using DarwinGrid.Training.Tokenization;

namespace DarwinGrid.Training.Tests.Tokenization;

/// <summary>The parity gate: a managed tokenizer trains only on texts llama.cpp encodes the same way.</summary>
[Collection(BuiltInVocabularyCollection.Name)]
public sealed class ParityGateTests(BuiltInVocabularyFixture fixture)
{
    [Fact]
    public void GatePassesTheBuiltInVocabularyAndReturnsLlamaCppIds()
    {
        using var native = LlamaCppTokenizer.Load(fixture.ModelPath, fixture.Vocabulary);
        var gated = new ParityCheckedTokenizer(fixture.Tokenizer, native);
        var example = new TrainingExample("matbench_expt_gap", fixture.Corpus.Instructions[0].Prompt, " 1.51\n");

        var tokens = new ExampleTokenizer(gated).Tokenize(example);

        Assert.Equal(native.Encode(example.Prompt), tokens.PromptTokens);
        Assert.True(gated.Checked >= 2);
    }

    [Fact]
    public void GateRefusesAMismatchNamingTheText()
    {
        // The same pieces without the dummy prefix on the managed side: "the space-prefix setting differing" disagrees on every text.
        using var native = LlamaCppTokenizer.Load(fixture.ModelPath, fixture.Vocabulary);
        var managed = new DarwinTokenizer(fixture.Vocabulary with { AddSpacePrefix = false });
        var gated = new ParityCheckedTokenizer(managed, native);
        var example = new TrainingExample("matbench_glass", "Is Cu46Zr54 a metallic glass?", " Yes\n");

        var error = Assert.Throws<TokenizerParityException>(() => new ExampleTokenizer(gated).TokenizeAll([example]));

        Assert.Contains("Is Cu46Zr54 a metallic glass?", error.Message);
        Assert.Contains("llama.cpp", error.Message);
        Assert.Equal(example.Prompt, error.Text);
    }
}

using DarwinGrid.Inference.Decoding;
using DarwinGrid.Inference.Models;
using DarwinGrid.Inference.Tests.Support;

namespace DarwinGrid.Inference.Tests.Decoding;

/// <summary>
/// Numeric decoding on hand-made logits over the six-number-token vocabulary: what the cap does,
/// and how multi-character and leading-space tokens spell a number.
/// </summary>
public sealed class NumericTruncationTests : IClassFixture<NumericVocabularyModelFile>, IDisposable
{
    private readonly LoadedModel _model;
    private readonly TokenPieces _pieces;

    public NumericTruncationTests(NumericVocabularyModelFile file)
    {
        _model = LoadedModel.Load(file.Options(seqMax: 1), sequenceCount: 1);
        _pieces = new TokenPieces(_model.Weights);
    }

    [Fact]
    public void GreedyAnswerTheCapCutsShortIsAnErrorNamingTheCapNotAValue()
    {
        var decoder = new NumericDecoder(_pieces, maxTokens: 3, TokenPicker.Greedy);
        var steps = Run(decoder, _ => Favour("1"));

        Assert.Equal(4, steps);
        Assert.True(decoder.Truncated);
        Assert.Equal("111", decoder.Text);
        Assert.Contains("3-token cap", decoder.Error);
    }

    [Fact]
    public void GreedyAnswerThatEndsRightAtTheCapIsWhole()
    {
        var decoder = new NumericDecoder(_pieces, maxTokens: 2, TokenPicker.Greedy);
        Run(decoder, step => step < 2 ? Favour("1") : Favour("</s>"));

        Assert.False(decoder.Truncated);
        Assert.Null(decoder.Error);
        Assert.Equal("11", decoder.Text);
    }

    [Fact]
    public void ALeadingSpaceTokenAndAMultiDigitTokenSpellOneNumber()
    {
        var decoder = new NumericDecoder(_pieces, maxTokens: 4, TokenPicker.Greedy);
        Run(decoder, step => step switch { 0 => Favour("▁1"), 1 => Favour("10"), _ => Favour("<0x0A>") });

        Assert.Equal(" 110", decoder.Text);
        Assert.Null(decoder.Error);
    }

    [Fact]
    public void SearchWhoseEveryPathTheCapCutsShortFailsNamingTheCap()
    {
        var search = new NumericSearch(_pieces, maxTokens: 2, new NumericSearchOptions(Beams: 1));
        Run(search, _ => Favour("1", others: -1000));

        Assert.Null(search.Distribution);
        Assert.Contains("2-token cap", search.Error);
    }

    [Fact]
    public void SearchProbabilitiesAreRenormalisedOverTheTokensTheGrammarAllows()
    {
        // Only "0" and the terminators are ever likely; "1"-tokens get a known share at the first step.
        var search = new NumericSearch(_pieces, maxTokens: 1, NumericSearchOptions.Exhaustive(beams: 8));
        var logits = new float[_pieces.Count];
        Array.Fill(logits, -1000f);
        logits[Id("0")] = 0;
        logits[Id("1")] = (float)Math.Log(3);
        logits[Id("</s>")] = 0;
        logits[Id("Q")] = 50; // not a number token: must not take any mass
        search.Observe(0, logits);
        var next = search.Advance();
        Assert.Equal(2, next.Count);
        // After one token the number is complete and only the terminator is likely.
        for (var beam = 0; beam < next.Count; beam++) search.Observe(beam, logits);
        Assert.Empty(search.Advance());

        var distribution = search.Distribution!;
        Assert.Equal([0.0, 1.0], distribution.Values.ToArray());
        // Step 1 over the number tokens: "0" 1/4, "1" 3/4. Step 2 over digits and the terminator
        // (weights 1 + 3 + 1): each number ends with 1/5, so 0 holds 0.05, 1 holds 0.15.
        Assert.Equal(0.25, distribution.Probabilities[0], 6);
        Assert.Equal(0.75, distribution.Probabilities[1], 6);
        Assert.Equal(0.2, distribution.CoveredMass, 6);
    }

    private static int Run(ResponseDecoder decoder, Func<int, float[]> logitsAt)
    {
        var step = 0;
        while (decoder.Step(logitsAt(step++)) != ResponseDecoder.Done) { }
        return step;
    }

    private float[] Favour(string piece, float others = 0)
    {
        var logits = new float[_pieces.Count];
        Array.Fill(logits, others);
        logits[Id(piece)] = 10;
        return logits;
    }

    private int Id(string piece) => piece switch
    {
        "</s>" => _pieces.EndOfGenerationTokens[0],
        "<0x0A>" => _pieces.NewlineTokens[0],
        _ => Enumerable.Range(0, _pieces.Count).Single(t => _pieces.AsciiText(t) == piece.Replace('▁', ' ')),
    };

    public void Dispose() => _model.Dispose();
}

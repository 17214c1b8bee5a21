using DarwinGrid.Inference.Decoding;
using DarwinGrid.Inference.Engine;
using DarwinGrid.Inference.Tests.Support;

namespace DarwinGrid.Inference.Tests.Engine;

/// <summary>
/// The engine's answers against a one-sequence, no-sharing reference decode of the same prompts,
/// with llama.cpp's noisy defaults (flash attention, F16 KV) off so the comparison can be tight.
/// </summary>
public sealed class EngineAnswerTests(TinyModelFile model) : IClassFixture<TinyModelFile>
{
    private static readonly string[] Labels = ["metal", "insulator", "semiconductor"];

    [Fact]
    public async Task NumericAnswersMatchAPlainSingleSequenceDecodeAndAreNumbers()
    {
        var options = model.ExactOptions();
        await using var engine = InferenceEngine.Start(options);
        using var reference = new ReferenceDecoding(options);
        foreach (var composition in BandGapPrompts.Compositions(8))
        {
            var result = await engine.EvaluateAsync(new(BandGapPrompts.Prefix, BandGapPrompts.Suffix(composition), new ResponseMode.Numeric(8)));
            var expected = reference.Run(BandGapPrompts.Prefix + BandGapPrompts.Suffix(composition), new NumericDecoder(reference.Pieces, 8, TokenPicker.Greedy));
            Assert.Equal(expected.Text, result.Text);
            Assert.True(NumberScanner.IsValidPrefix(result.Text), $"'{result.Text}' is not a number prefix");
            Assert.True(result.Cost.GeneratedTokens == 8 || NumberScanner.IsCompleteNumber(result.Text),
                $"'{result.Text}' stopped after {result.Cost.GeneratedTokens} tokens without being a whole number");
            Assert.DoesNotContain('\n', result.Text);
        }
    }

    [Fact]
    public async Task LabelProbabilitiesMatchAPlainForwardPassOverTheLabelTokens()
    {
        var options = model.ExactOptions();
        await using var engine = InferenceEngine.Start(options);
        using var reference = new ReferenceDecoding(options);
        foreach (var composition in BandGapPrompts.Compositions(5))
        {
            var prompt = BandGapPrompts.Prefix + BandGapPrompts.Suffix(composition);
            var result = await engine.EvaluateAsync(new(BandGapPrompts.Prefix, BandGapPrompts.Suffix(composition), new ResponseMode.Labels(Labels)));
            var promptTokens = reference.Tokenize(prompt);
            var firstTokens = Labels.Select(l => reference.Tokenize(prompt + l)[promptTokens.Length]).ToArray();
            var expected = reference.Run(prompt, new LabelScorer(Labels, firstTokens)).Probabilities!;

            Assert.NotNull(result.Labels);
            Assert.Equal(Labels, result.Labels.Select(l => l.Label));
            for (var i = 0; i < Labels.Length; i++) Assert.InRange(result.Labels[i].Probability, expected[i] - 1e-5, expected[i] + 1e-5);
            Assert.InRange(result.Labels.Sum(l => l.Probability), 1 - 1e-9, 1 + 1e-9);
            Assert.Equal(result.Labels.MaxBy(l => l.Probability)!.Label, result.Text);
            Assert.Equal(0, result.Cost.GeneratedTokens);
        }
    }

    [Fact]
    public async Task FreeTextMatchesThePlainDecodeAndStopsAtNewlineEosOrTheCap()
    {
        var options = model.ExactOptions();
        await using var engine = InferenceEngine.Start(options);
        using var reference = new ReferenceDecoding(options);
        foreach (var composition in BandGapPrompts.Compositions(4))
        {
            var result = await engine.EvaluateAsync(new(BandGapPrompts.Prefix, BandGapPrompts.Suffix(composition), new ResponseMode.FreeText(20)));
            var expected = reference.Run(BandGapPrompts.Prefix + BandGapPrompts.Suffix(composition), new FreeTextDecoder(reference.Pieces, 20));
            Assert.Equal(expected.Text, result.Text);
            Assert.DoesNotContain('\n', result.Text);
            Assert.InRange(result.Cost.GeneratedTokens, 0, 20);
        }
    }

    [Fact]
    public async Task NumericSamplingIsReproducibleForASeedAndSummarisesTheParsedSamples()
    {
        await using var engine = InferenceEngine.Start(model.Options());
        var request = new EngineRequest(BandGapPrompts.Prefix, BandGapPrompts.Suffix("Ag2BBr"),
            new ResponseMode.Numeric(6, new NumericSampling(Samples: 6, Temperature: 1.5f, Seed: 11)));
        var first = await engine.EvaluateAsync(request);
        var second = await engine.EvaluateAsync(request);

        Assert.NotNull(first.Spread);
        Assert.Equal(6, first.Spread.SampleTexts.Count);
        Assert.Equal(first.Spread.SampleTexts, second.Spread!.SampleTexts);
        var parsed = first.Spread.SampleTexts
            .Select(t => double.TryParse(t.Trim(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : (double?)null)
            .OfType<double>().ToArray();
        Assert.Equal(parsed.Length, first.Spread.ParsedCount);
        if (parsed.Length > 0) Assert.Equal(parsed.Average(), first.Spread.Mean, 1e-9);
        // Seven sequences (greedy + six samples), each with the whole prompt.
        Assert.Equal(7 * engine.Tokenizer.Tokenize(request.Prompt).Length, first.Cost.PromptTokens);
    }

    [Fact]
    public async Task APromptThatCannotFitTheContextIsRejectedWithItsSizes()
    {
        await using var engine = InferenceEngine.Start(model.Options(configure: o => o.ContextSize = 256));
        var error = await Assert.ThrowsAsync<ArgumentException>(async () =>
            await engine.EvaluateAsync(new(BandGapPrompts.Prefix, BandGapPrompts.Suffix("Ag2BBr"), new ResponseMode.FreeText(200))));
        Assert.Contains("KV cells", error.Message);
        Assert.Contains("ContextSize", error.Message);
    }

    [Fact]
    public async Task LabelsThatShareLeadingTokensAreScoredAtTheirFirstDifference()
    {
        await using var engine = InferenceEngine.Start(model.ExactOptions());
        var shared = await engine.EvaluateAsync(new(BandGapPrompts.Prefix, BandGapPrompts.Suffix("Ag2BBr"), new ResponseMode.Labels([" xa", " xb"])));
        // The same question asked with the shared " x" moved into the prompt.
        var moved = await engine.EvaluateAsync(new(BandGapPrompts.Prefix, BandGapPrompts.Suffix("Ag2BBr") + " x", new ResponseMode.Labels(["a", "b"])));

        Assert.Equal(moved.Labels![0].Probability, shared.Labels![0].Probability, 6);
        Assert.Equal(moved.Labels[1].Probability, shared.Labels[1].Probability, 6);
        Assert.Equal(moved.Text == "a" ? " xa" : " xb", shared.Text);
    }

    [Fact]
    public async Task ALabelThatIsATokenPrefixOfAnotherIsRejected()
    {
        await using var engine = InferenceEngine.Start(model.Options());
        var error = await Assert.ThrowsAsync<ArgumentException>(async () =>
            await engine.EvaluateAsync(new(BandGapPrompts.Prefix, BandGapPrompts.Suffix("Ag2BBr"), new ResponseMode.Labels([" x", " xb"]))));
        Assert.Contains("token prefix", error.Message);
    }
}

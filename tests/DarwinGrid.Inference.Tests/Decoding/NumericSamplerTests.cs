using DarwinGrid.Inference.Decoding;
using DarwinGrid.Inference.Engine;
using DarwinGrid.Inference.Tests.Support;

namespace DarwinGrid.Inference.Tests.Decoding;

/// <summary>
/// The engine's distribution sampler against the exact probabilities of every number (brute-force
/// enumeration) on a model with six number tokens: a chi-square test on fixed seeds, so it either
/// always passes or always fails.
/// </summary>
public sealed class NumericSamplerTests(NumericVocabularyModelFile model) : IClassFixture<NumericVocabularyModelFile>
{
    private const int Cap = 3;

    [Theory]
    [InlineData(2)] // two beams at once: most drawn prefixes wait and restart from the prompt
    [InlineData(16)] // every drawn prefix gets its own sequence
    public async Task SampledNumbersFollowTheExactDistributionWhateverTheWidth(int beams)
    {
        var options = model.Options(seqMax: 16);
        var exact = BruteForceNumbers.Enumerate(options, NumericVocabularyModelFile.Prompt, Cap);
        await using var engine = InferenceEngine.Start(options);
        const int requests = 40, samples = 48;

        var drawn = new Dictionary<double, double>();
        var results = await Task.WhenAll(Enumerable.Range(0, requests).Select(seed => engine.EvaluateAsync(new("", NumericVocabularyModelFile.Prompt,
            new ResponseMode.NumberDistribution(Cap, Sampling: new NumericSamplingOptions(samples, IncludeGreedy: false, Seed: seed, Beams: beams)))).AsTask()));
        foreach (var d in results.Select(r => r.Distribution!))
            for (var i = 0; i < d.Count; i++)
                drawn[d.Values[i]] = drawn.GetValueOrDefault(d.Values[i]) + d.Probabilities[i] * d.CoveredMass * samples;

        // Values expected at least 5 times are their own cells; the rest and the numbers the cap cut short share one.
        var total = (double)requests * samples;
        var cells = exact.Where(e => e.Value * total >= 5).Select(e => (Expected: e.Value * total, Observed: drawn.GetValueOrDefault(e.Key))).ToList();
        cells.Add((total - cells.Sum(c => c.Expected), total - cells.Sum(c => c.Observed)));
        Assert.True(cells.Count >= 4, $"only {cells.Count} cells: the test model says too little to compare");
        var chiSquare = cells.Sum(c => (c.Observed - c.Expected) * (c.Observed - c.Expected) / c.Expected);
        Assert.True(chiSquare < ChiSquareQuantile999(cells.Count - 1),
            $"chi-square {chiSquare:F1} over {cells.Count} cells: " + string.Join(", ", cells.Select(c => $"{c.Observed:F0}/{c.Expected:F1}")));
        Assert.All(drawn.Keys, v => Assert.Contains(v, exact.Keys));
    }

    [Fact]
    public async Task TheGreedyAnswerIsOneOfTheAnswersAndTheReportedText()
    {
        var options = model.Options(seqMax: 8);
        await using var engine = InferenceEngine.Start(options);

        var greedy = await engine.EvaluateAsync(new("", NumericVocabularyModelFile.Prompt, new ResponseMode.Numeric(Cap)));
        var sampled = await engine.EvaluateAsync(new("", NumericVocabularyModelFile.Prompt,
            new ResponseMode.NumberDistribution(Cap, Sampling: new NumericSamplingOptions(Samples: 0))));

        Assert.Null(greedy.Error);
        Assert.Equal(greedy.Text, sampled.Text);
        Assert.Equal([double.Parse(greedy.Text.Trim(), System.Globalization.CultureInfo.InvariantCulture)], sampled.Distribution!.Values.ToArray());
    }

    [Fact]
    public async Task SamplesOfManyPromptsBatchedTogetherMatchOnePromptAlone()
    {
        var options = model.Options(seqMax: 16);
        await using var engine = InferenceEngine.Start(options);
        var mode = new ResponseMode.NumberDistribution(Cap, Sampling: new NumericSamplingOptions(Samples: 12, Beams: 3));
        var alone = await engine.EvaluateAsync(new("", NumericVocabularyModelFile.Prompt, mode));

        var together = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => engine.EvaluateAsync(new("Q:", " X ->", mode)).AsTask()));

        Assert.True(alone.Distribution!.Count > 1, "one value only: the sampler drew nothing to compare");
        foreach (var r in together)
        {
            Assert.Equal(alone.Text, r.Text);
            Assert.Equal(alone.Distribution.Values.ToArray(), r.Distribution!.Values.ToArray());
            Assert.Equal(alone.Distribution.Probabilities.ToArray(), r.Distribution.Probabilities.ToArray());
        }
    }

    /// <summary>The 99.9% quantile of chi-square with <paramref name="df"/> degrees of freedom (Wilson-Hilferty).</summary>
    private static double ChiSquareQuantile999(int df)
    {
        const double z = 3.090; // the standard normal's 99.9% quantile
        var a = 2.0 / (9 * df);
        return df * Math.Pow(1 - a + z * Math.Sqrt(a), 3);
    }
}

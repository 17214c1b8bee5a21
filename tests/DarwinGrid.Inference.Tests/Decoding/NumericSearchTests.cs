using DarwinGrid.Inference.Decoding;
using DarwinGrid.Inference.Engine;
using DarwinGrid.Inference.Tests.Support;

namespace DarwinGrid.Inference.Tests.Decoding;

/// <summary>
/// The engine's distribution search against a brute-force enumeration of every number on a model
/// with six number tokens (two of them multi-character, one with a leading space).
/// </summary>
public sealed class NumericSearchTests(NumericVocabularyModelFile model) : IClassFixture<NumericVocabularyModelFile>
{
    private const int Cap = 3;

    [Fact]
    public async Task ExhaustiveSearchGivesEveryNumberWithItsExactProbability()
    {
        // Two tokens: at most 36 prefixes are alive at once, so 40 beams follow every path.
        var options = model.Options(seqMax: 40);
        var expected = BruteForceNumbers.Enumerate(options, NumericVocabularyModelFile.Prompt, maxTokens: 2);
        await using var engine = InferenceEngine.Start(options);

        var result = await engine.EvaluateAsync(new("", NumericVocabularyModelFile.Prompt,
            new ResponseMode.NumberDistribution(2, NumericSearchOptions.Exhaustive(beams: 40))));

        Assert.Null(result.Error);
        var distribution = result.Distribution!;
        Assert.True(expected.Count > 5, $"only {expected.Count} numbers: the test model says too little to compare");
        Assert.Equal(string.Join(" ", expected.Keys.Order()), string.Join(" ", distribution.Values));
        Assert.Equal(expected.Values.Sum(), distribution.CoveredMass, 1e-5);
        for (var i = 0; i < distribution.Count; i++)
            Assert.Equal(expected[distribution.Values[i]], distribution.Probabilities[i] * distribution.CoveredMass, 1e-5);
    }

    [Fact]
    public async Task DefaultSearchFindsTheProbableNumbersWithTheirTruePathProbabilities()
    {
        var options = model.Options(seqMax: 16);
        var expected = BruteForceNumbers.Enumerate(options, NumericVocabularyModelFile.Prompt, Cap);
        await using var engine = InferenceEngine.Start(options);

        var result = await engine.EvaluateAsync(new("", NumericVocabularyModelFile.Prompt, new ResponseMode.NumberDistribution(Cap, NumericSearchOptions.Default)));

        var distribution = result.Distribution!;
        // A value can be spelled by several paths (" 1" and " " "1"); a pruned search may find some only.
        for (var i = 0; i < distribution.Count; i++)
            Assert.True(distribution.Probabilities[i] * distribution.CoveredMass <= expected[distribution.Values[i]] + 1e-5);
        Assert.Equal(expected.MaxBy(e => e.Value).Key, distribution.Mode);
        Assert.InRange(distribution.CoveredMass, 0.3, expected.Values.Sum() + 1e-5);
    }

    [Fact]
    public async Task BeamsOfManySearchesBatchedTogetherMatchOneSearchAlone()
    {
        var options = model.Options(seqMax: 24);
        await using var engine = InferenceEngine.Start(options);
        var mode = new ResponseMode.NumberDistribution(Cap, new NumericSearchOptions(Beams: 4));
        var alone = await engine.EvaluateAsync(new("", NumericVocabularyModelFile.Prompt, mode));

        var together = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ =>
            engine.EvaluateAsync(new("Q:", " X ->", mode)).AsTask()));

        foreach (var r in together)
        {
            Assert.Equal(alone.Distribution!.Values.ToArray(), r.Distribution!.Values.ToArray());
            for (var i = 0; i < alone.Distribution.Count; i++) Assert.Equal(alone.Distribution.Probabilities[i], r.Distribution.Probabilities[i], 1e-5);
        }
    }
}

using DarwinGrid.Domain.Prompts;
using DarwinGrid.TestSupport;
using DarwinGrid.Training.Data;
using DarwinGrid.Training.Tokenization;

namespace DarwinGrid.Training.Tests.Data;

[Collection(DataCollection.Name)]
public sealed class ExampleTokenizerTests(DataFixture fixture)
{
    private DarwinTokenizer Tokenizer => fixture.Tokenizer;

    /// <summary>Every 5th example of an epoch of every task, plus every distractor, in both formats.</summary>
    private IEnumerable<TrainingExample> Sample()
    {
        var compact = MultiTaskMixture.Load(SharedData.Root, new MultiTaskOptions { Format = CompactPromptFormat.Instance, ExamplesPerEpoch = 3000 });
        return fixture.Fold0.Epoch(0).Where((e, i) => i % 5 == 0 || e.Kind != ExampleKind.Record)
            .Concat(compact.Epoch(0))
            .Concat(QaDataset.Load(SharedData.Root).Validation);
    }

    [Fact]
    public void PromptTokensAreWhatInferenceFeedsAndResponseTokensContinueThem()
    {
        var tokenizer = new ExampleTokenizer(Tokenizer);
        var merged = 0;
        var checkedCount = 0;
        foreach (var example in Sample())
        {
            var tokens = tokenizer.Tokenize(example);
            Assert.Equal(Tokenizer.Encode(example.Prompt, addBos: true), tokens.PromptTokens);
            Assert.Equal(Tokenizer.BosId, tokens.PromptTokens[0]);
            Assert.Equal(Tokenizer.EosId, tokens.ResponseTokens[^1]);
            Assert.DoesNotContain(Tokenizer.EosId, tokens.ResponseTokens[..^1]);
            Assert.DoesNotContain(Tokenizer.BosId, tokens.ResponseTokens);
            Assert.Equal(example.Response, Tokenizer.DecodeContinuation(tokens.ResponseTokens));

            var whole = Tokenizer.Encode(example.Prompt + example.Response, addBos: true);
            if (whole.SequenceEqual(tokens.PromptTokens.Concat(tokens.ResponseTokens[..^1])))
            {
                Assert.True(tokenizer.SplitsAtBoundary(example, tokens));
            }
            else
            {
                // The only way they may differ: one vocabulary piece spans the prompt's end and the answer's start.
                Assert.False(tokenizer.SplitsAtBoundary(example, tokens));
                Assert.True(SomePieceSpans(whole, 1 + example.Prompt.Length), $"{example.Task}: whole-text encoding differs without a boundary piece");
                merged++;
            }
            checkedCount++;
        }
        Assert.True(checkedCount > 5000);
        // The built-in vocabulary learns prompts and answers as separate texts, so no piece spans
        // "### Response:" and the answer: training and inference tokenize identically.
        Assert.Equal(0, merged);
    }

    /// <summary>Whether a token of <paramref name="ids"/> covers the characters on both sides of <paramref name="offset"/> (offset counted in the decoded text, dummy-prefix space included).</summary>
    private bool SomePieceSpans(int[] ids, int offset)
    {
        var position = 0;
        foreach (var id in ids)
        {
            var length = Tokenizer.DecodeContinuation([id]).Length;
            if (position < offset && offset < position + length)
                return true;
            position += length;
        }
        return false;
    }

    [Fact]
    public void ADarwinAnswerStartsWithTheWordPieceAModelGeneratesAfterThePrompt()
    {
        var example = fixture.Fold0.Epoch(0).First(e => e.Task == "matbench_is_metal" && e.Kind == ExampleKind.Record && e.Response.StartsWith(" Yes,", StringComparison.Ordinal));
        var tokens = new ExampleTokenizer(Tokenizer).Tokenize(example);
        Assert.EndsWith("Response:", Tokenizer.Pieces(tokens.PromptTokens)[^1]);
        Assert.StartsWith("\u2581Yes", Tokenizer.Pieces(tokens.ResponseTokens)[0]);
        Assert.Equal([], Tokenizer.EncodeContinuation(""));
    }

    [Fact]
    public void OverLongExamplesAreDroppedAndCountedOrRejected()
    {
        var examples = MultiTaskMixture.Load(SharedData.Root, new MultiTaskOptions { Tasks = ["matbench_steels", "matbench_expt_gap"] }).Epoch(0);
        var lengths = examples.Select(e => new ExampleTokenizer(Tokenizer).Tokenize(e).Length).ToArray();
        var limit = (int)lengths.Average();

        var result = new ExampleTokenizer(Tokenizer, new TokenizationOptions { MaxTokens = limit }).TokenizeAll(examples);
        var over = lengths.Count(l => l > limit);
        Assert.True(over > 0 && over < examples.Count);
        Assert.Equal(over, result.Dropped.Count);
        Assert.Equal(examples.Count - over, result.Examples.Count);
        Assert.All(result.Examples, e => Assert.True(e.Length <= limit));
        Assert.All(result.Dropped, d => Assert.Equal(lengths[d.Index], d.Tokens));
        Assert.Equal(over, result.Statistics.Overall.Dropped);
        Assert.Equal(over, result.Statistics.Tasks.Sum(t => t.Dropped));

        var error = Assert.Throws<InvalidDataException>(() =>
            new ExampleTokenizer(Tokenizer, new TokenizationOptions { MaxTokens = limit, OverLength = OverLengthPolicy.Fail }).TokenizeAll(examples));
        Assert.Contains("limit of " + limit, error.Message);
    }

    [Fact]
    public void StatisticsCountExamplesAndTokensPerTask()
    {
        var examples = MultiTaskMixture.Load(SharedData.Root, new MultiTaskOptions { Tasks = ["pei_phase", "water_stability"] }).Epoch(0);
        var result = new ExampleTokenizer(Tokenizer, new TokenizationOptions { CheckBoundaries = true }).TokenizeAll(examples);
        foreach (var task in new[] { "pei_phase", "water_stability" })
        {
            var mine = result.Examples.Where(e => e.Task == task).ToArray();
            var stats = result.Statistics.Tasks.Single(t => t.Task == task);
            Assert.Equal(mine.Length, stats.Examples);
            Assert.Equal(mine.Max(e => e.Length), stats.MaxTokens);
            Assert.Equal(mine.Average(e => e.PromptTokens.Length), stats.MeanPromptTokens, 9);
            Assert.Equal(mine.Sum(e => (long)e.ResponseTokens.Length), stats.ResponseTokens);
        }
        Assert.Equal(examples.Count, result.Statistics.Overall.Examples);
        Assert.NotNull(result.Statistics.BoundaryMerges);
    }
}

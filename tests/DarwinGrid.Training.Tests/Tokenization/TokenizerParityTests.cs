using System.Diagnostics;
using DarwinGrid.TestSupport;
using Xunit.Abstractions;

namespace DarwinGrid.Training.Tests.Tokenization;

/// <summary>Microsoft.ML.Tokenizers (our data pipeline) and llama.cpp (inference) must produce the same ids.</summary>
[Collection(BuiltInVocabularyCollection.Name)]
public sealed class TokenizerParityTests(BuiltInVocabularyFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public void BothTokenizersAgreeOnASampleOfTheCorpusAndTheEdgeCases()
    {
        var texts = ParityCorpus.Sample(fixture.Corpus, stride: 17).ToArray();
        Assert.True(texts.Length > 3000, $"the sample has only {texts.Length} texts");
        AssertAgree(texts);
    }

    [Fact]
    public void BothTokenizersAgreeOnEveryEdgeCase() => AssertAgree(ParityCorpus.EdgeCases);

    [Fact]
    [Trait("Category", TestCategories.Slow)]
    public void BothTokenizersAgreeOnTheWholeSharedCorpus() => AssertAgree(ParityCorpus.All(fixture.Corpus).ToArray());

    private void AssertAgree(IReadOnlyList<string> texts)
    {
        var clock = Stopwatch.StartNew();
        var managed = texts.Select(t => fixture.Tokenizer.Encode(t)).ToArray();
        var managedTime = clock.Elapsed;
        clock.Restart();
        var native = texts.Select(fixture.LlamaCppEncode).ToArray();
        var nativeTime = clock.Elapsed;

        var mismatches = Enumerable.Range(0, texts.Count).Where(i => !managed[i].SequenceEqual(native[i])).ToArray();
        output.WriteLine($"{texts.Count - mismatches.Length} of {texts.Count} texts agree; " +
                         $"{managed.Sum(ids => (long)ids.Length)} tokens; managed {managedTime.TotalMilliseconds:F0} ms, llama.cpp {nativeTime.TotalMilliseconds:F0} ms");
        Assert.True(mismatches.Length == 0, string.Join("\n", mismatches.Take(5).Select(i =>
            $"'{Shorten(texts[i])}'\n  managed:   {string.Join(" | ", fixture.Tokenizer.Pieces(managed[i]))}\n  llama.cpp: {string.Join(" | ", fixture.Tokenizer.Pieces(native[i]))}")));
    }

    private static string Shorten(string text) => (text.Length > 120 ? text[..120] + "..." : text).Replace("\n", "\\n");
}

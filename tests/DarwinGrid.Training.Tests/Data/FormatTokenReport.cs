using System.Diagnostics;
using DarwinGrid.Domain.Prompts;
using DarwinGrid.TestSupport;
using DarwinGrid.Training.Data;
using Xunit.Abstractions;

namespace DarwinGrid.Training.Tests.Data;

/// <summary>Measures what the prompt format costs in tokens (printed with --logger "console;verbosity=detailed").</summary>
[Collection(DataCollection.Name)]
public sealed class FormatTokenReport(DataFixture fixture, ITestOutputHelper output)
{
    private static readonly string[] Matbench = ["matbench_expt_gap", "matbench_is_metal", "matbench_glass", "matbench_steels"];

    /// <summary>
    /// Not an assumption but a measurement: the built-in vocabulary learnt DARWIN's template and
    /// instructions as phrase pieces, so the darwin format is not necessarily longer than compact.
    /// </summary>
    [Fact]
    public void BothFormatsAreMeasuredOnTheMatbenchTasksWithTheSameAnswerTokens()
    {
        var perFormat = PromptFormats.All.ToDictionary(f => f.Name, f =>
        {
            var mixture = MultiTaskMixture.Load(SharedData.Root, new MultiTaskOptions { Tasks = Matbench, Format = f });
            return new ExampleTokenizer(fixture.Tokenizer).TokenizeAll(mixture.Epoch(0)).Statistics;
        });
        output.WriteLine($"{"task",-20} {"format",-8} {"examples",8} {"prompt",7} {"answer",7} {"total",7} {"max",5}");
        foreach (var task in Matbench.Append("all"))
        {
            foreach (var (format, stats) in perFormat)
            {
                var s = task == "all" ? stats.Overall : stats.Tasks.Single(t => t.Task == task);
                output.WriteLine($"{task,-20} {format,-8} {s.Examples,8} {s.MeanPromptTokens,7:F1} {s.MeanResponseTokens,7:F1} {s.MeanTokens,7:F1} {s.MaxTokens,5}");
            }
            if (task != "all")
            {
                foreach (var format in PromptFormats.All)
                {
                    var example = MultiTaskMixture.Load(SharedData.Root, new MultiTaskOptions { Tasks = [task], Format = format, DistractorRate = 0 }).Epoch(0)[0];
                    var pieces = fixture.Tokenizer.Pieces(new ExampleTokenizer(fixture.Tokenizer).Tokenize(example).PromptTokens);
                    output.WriteLine($"    {format.Name}: [{string.Join("] [", pieces.Select(p => p.Replace("\n", "\\n")))}]");
                }
            }
            var darwin = task == "all" ? perFormat["darwin"].Overall : perFormat["darwin"].Tasks.Single(t => t.Task == task);
            var compact = task == "all" ? perFormat["compact"].Overall : perFormat["compact"].Tasks.Single(t => t.Task == task);
            Assert.Equal(darwin.Examples, compact.Examples);
            Assert.Equal(darwin.MeanResponseTokens, compact.MeanResponseTokens, 9); // same answers, same tokens
        }
    }

    [Fact]
    [Trait("Category", TestCategories.Slow)]
    public void TheDefaultMixtureAndTheQaSetTokenizeInSeconds()
    {
        // Compact first: the first pass also pays for JIT compilation, so darwin's figure is warm.
        foreach (var format in PromptFormats.All.Reverse())
        {
            var watch = Stopwatch.StartNew();
            var mixture = MultiTaskMixture.Load(SharedData.Root, new MultiTaskOptions { Fold = new FoldSelection(0), Format = format });
            var load = watch.Elapsed;
            var epoch = mixture.Epoch(0);
            var build = watch.Elapsed - load;
            var tokens = new ExampleTokenizer(fixture.Tokenizer).TokenizeAll(epoch);
            var tokenize = watch.Elapsed - load - build;
            output.WriteLine($"{format.Name}: load {load.TotalSeconds:F2} s, epoch of {epoch.Count} examples {build.TotalSeconds:F2} s, tokenize {tokenize.TotalSeconds:F2} s; " +
                $"{tokens.Statistics.Overall.MeanTokens:F1} tokens/example (max {tokens.Statistics.Overall.MaxTokens}), {tokens.Statistics.Overall.MeanResponseTokens:F1} answer tokens, {tokens.Dropped.Count} dropped");
            foreach (var t in tokens.Statistics.Tasks)
                output.WriteLine($"  {t.Task,-34} {t.Examples,5} examples  prompt {t.MeanPromptTokens,6:F1} (max {t.MaxPromptTokens,3})  answer {t.MeanResponseTokens,5:F1} (max {t.MaxResponseTokens,2})");
            Assert.True(tokenize.TotalSeconds < 30, $"tokenizing took {tokenize.TotalSeconds:F1} s");

            watch.Restart();
            var qa = QaDataset.Load(SharedData.Root, new QaDatasetOptions { Format = format });
            var qaTokens = new ExampleTokenizer(fixture.Tokenizer).TokenizeAll(qa.Train);
            output.WriteLine($"{format.Name} QA: {qa.Train.Count} pairs in {watch.Elapsed.TotalSeconds:F2} s; {qaTokens.Statistics.Overall.MeanTokens:F1} tokens/example (max {qaTokens.Statistics.Overall.MaxTokens}), {qaTokens.Statistics.Overall.MeanResponseTokens:F1} answer tokens, {qaTokens.Dropped.Count} dropped");
        }
    }
}

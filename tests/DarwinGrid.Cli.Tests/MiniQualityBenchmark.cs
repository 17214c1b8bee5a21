using DarwinGrid.Domain.Prompts;
using DarwinGrid.Silo.Benchmarks;
using DarwinGrid.TestSupport;
using DarwinGrid.Training.Data;
using DarwinGrid.Training.Runs;
using DarwinGrid.Training.Tokenization;
using Xunit.Abstractions;

namespace DarwinGrid.Cli.Tests;

/// <summary>
/// The real darwin-mini recipe (about 20 minutes): trained without Matbench fold 0's test part and
/// scored on it. Slow: a benchmark, not part of the normal suite. The figures go to docs/results.md.
/// </summary>
public sealed class MiniQualityBenchmark(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mini-fold0-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    [Trait("Category", TestCategories.Slow)]
    public async Task DarwinMiniTrainedWithoutFold0BeatsTheDummyOnEveryMatbenchTaskOfFold0()
    {
        var run = TrainingRun.Execute(new TrainingRunOptions
        {
            Preset = TrainingPresets.Mini,
            OutputDirectory = _dir,
            DataRoot = SharedData.Root,
            Fold = new FoldSelection(0),
        });
        var outcome = run.Manifest.Outcome;
        output.WriteLine($"{outcome.Steps}/{outcome.PlannedSteps} steps in {outcome.ElapsedSeconds:F0} s, {outcome.TokensPerSecond:F0} tokens/s on {outcome.Threads} threads; validation loss {outcome.FinalValidationLoss:F4}");
        Assert.True(outcome.ElapsedSeconds < 18 * 60, $"training took {outcome.ElapsedSeconds:F0} s");

        var tokenizer = new DarwinTokenizer(BuiltInVocabulary.Create(SharedData.Root));
        var scores = await FoldEvaluation.RunAsync(run.ModelPath, SharedData.Root, TrainingPresets.MatbenchTasks, new FoldSelection(0),
            DarwinAlpacaPromptFormat.Instance, tokenizer, threads: null, CancellationToken.None);
        foreach (var s in scores)
        {
            output.WriteLine($"{s.Task}: {s.Metric} {s.Model:G4} (dummy {s.Dummy:G4}), {s.Scored}/{s.TestRecords} scored, {s.ParseFailures} unparsed");
            if (s.Metric == "MAE") Assert.True(s.Model < s.Dummy, $"{s.Task}: MAE {s.Model} is not below the dummy's {s.Dummy}");
            else Assert.True(s.Model > 0.5, $"{s.Task}: ROC-AUC {s.Model} is not above chance");
            Assert.True(s.ParseFailures <= s.TestRecords / 20, $"{s.Task}: {s.ParseFailures} of {s.TestRecords} answers did not parse");
        }
    }
}

using DarwinGrid.Domain.Tasks;
using DarwinGrid.Evaluation.Baselines;
using DarwinGrid.Evaluation.Harness;
using DarwinGrid.Evaluation.Models;
using DarwinGrid.Silo.LanguageModelEvaluation;
using DarwinGrid.TestSupport;
using DarwinGrid.Training.Runs;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace DarwinGrid.Cli.Tests;

/// <summary>
/// The real darwin-mini recipe (up to 20 minutes): trained without Matbench fold 0's test part and
/// scored on it by the evaluation harness next to the dummy. Slow: a benchmark, not part of the
/// normal suite. The figures are in docs/results.md.
/// </summary>
public sealed class MiniQualityBenchmark(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mini-fold0-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    [Trait("Category", TestCategories.Slow)]
    public async Task DarwinMiniTrainedWithoutFold0BeatsTheDummyOnTheMatbenchTasksOfFold0()
    {
        var run = TrainingRun.Execute(new TrainingRunOptions
        {
            Preset = TrainingPresets.Mini,
            OutputDirectory = Path.Combine(_dir, "model"),
            DataRoot = SharedData.Root,
            Fold = new Training.Data.FoldSelection(0),
        });
        var outcome = run.Manifest.Outcome;
        output.WriteLine($"{outcome.Steps}/{outcome.PlannedSteps} steps in {outcome.ElapsedSeconds:F0} s, {outcome.TokensPerSecond:F0} tokens/s on {outcome.Threads} threads; validation loss {outcome.FinalValidationLoss:F4}");
        Assert.True(outcome.ElapsedSeconds < 18 * 60, $"training took {outcome.ElapsedSeconds:F0} s");

        var tasks = TrainingPresets.MatbenchTasks.Select(TaskCatalog.Get).ToArray();
        var harness = new CrossValidation(SharedData.Root);
        var mini = await harness.RunAsync(tasks, new LanguageModelSpecs().TryResolve(run.ModelPath, new ModelSpecContext(SharedData.Root, NullLoggerFactory.Instance))!,
            [0], Path.Combine(_dir, "mini"));
        var dummy = await harness.RunAsync(tasks, new BaselineModelSpecs().TryResolve("dummy", new ModelSpecContext(SharedData.Root, NullLoggerFactory.Instance))!,
            [0], Path.Combine(_dir, "dummy"));
        foreach (var task in mini.Tasks)
        {
            var model = task.Primary!.Mean;
            var floor = dummy[task.Task].Primary!.Mean;
            output.WriteLine($"{task.Task}: {task.PrimaryMetric} {model:G4} (dummy {floor:G4}), {task.Failures} failures");
            Assert.True(task.Failures <= task.Folds[0].TestCount / 20, $"{task.Task}: {task.Failures} answers failed");
            if (task.Kind == TaskKind.Regression && task.Task != "matbench_steels") Assert.True(model < floor, $"{task.Task}: {model} is not below the dummy's {floor}");
            if (task.Kind != TaskKind.Regression) Assert.True(model > floor + 0.2, $"{task.Task}: {model} is not well above the dummy's {floor}");
        }
    }
}

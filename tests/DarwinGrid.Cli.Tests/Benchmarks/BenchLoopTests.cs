using System.Text.RegularExpressions;
using DarwinGrid.Domain.Acquisition;
using DarwinGrid.Domain.Tasks;
using DarwinGrid.Evaluation.Loop;
using DarwinGrid.Silo.Benchmarks.Loop;
using DarwinGrid.Silo.Cli;
using DarwinGrid.TestSupport;
using DarwinGrid.Training.Models;
using DarwinGrid.Training.Runs;
using DarwinGrid.Training.Tokenization;

namespace DarwinGrid.Cli.Tests;

/// <summary>The virtual-lab benchmark's wiring on a tiny random model: real engine distributions, a real LoRA update between two rounds.</summary>
public sealed class BenchLoopTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("darwin-bench-loop-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void ThePoolIsTheFoldsTestPartOncePerCompositionAndNeverTheTrainingPart()
    {
        var task = TaskCatalog.Get("matbench_expt_gap");
        var pool = LoopBenchmark.Pool(task, SharedData.Root, 0);
        var other = LoopBenchmark.Pool(task, SharedData.Root, 1);

        Assert.InRange(pool.Count, 780, 840); // a fifth of our copy's 4,138 records
        Assert.Equal(pool.Count, pool.Select(p => p.Composition).Distinct().Count());
        Assert.Empty(pool.Select(p => p.Composition).Intersect(other.Select(p => p.Composition)));
        Assert.Throws<ArgumentException>(() => LoopBenchmark.Pool(TaskCatalog.Get("matbench_is_metal"), SharedData.Root, 0));
    }

    // 1 min 41 s under a load average of ~30 (vocabulary, mixture, LoRA run, two screenings): Slow.
    [Fact]
    [Trait("Category", TestCategories.Slow)]
    public async Task TwoRoundsOfTheLoopScreenUpdateByLoraAndRescreenBesideGreedyAndRandom()
    {
        var vocabulary = BuiltInVocabulary.Create(SharedData.Root);
        var model = Path.Combine(_dir, "tiny.gguf");
        RandomLlamaModel.Write(model, TrainingPresets.Tiny.Shape(vocabulary.Count), vocabulary, seed: 3);
        var settings = new LoopBenchmarkSettings { Task = "matbench_expt_gap", Rounds = 2, BatchSize = 4, Rule = AcquisitionRule.Ei, UpdateSteps = 2, Threads = 1 };
        var pool = LoopBenchmark.Pool(TaskCatalog.Get(settings.Task), SharedData.Root, 0).Take(16).ToArray();
        var lab = new VirtualLab(pool, LoopBenchmark.LabSettings(settings));
        await using var surrogate = new LanguageModelLabSurrogate(new LabSurrogateSettings(settings.Task, model, _dir,
            LoopBenchmark.UpdateOptions(SharedData.Root, settings, TrainingPresets.Tiny), LabExamplesPerEpoch: 8, Threads: 1));

        var runs = await LoopBenchmark.RunAsync(lab, surrogate, _ => { }, CancellationToken.None);

        Assert.Equal([LoopStrategy.Random, LoopStrategy.Greedy, LoopStrategy.Loop], runs.Select(r => r.Strategy));
        Assert.All(runs, run =>
        {
            Assert.Equal(2, run.Rounds.Count);
            var made = run.Rounds.SelectMany(r => r.Batch).ToArray();
            Assert.Equal(8, made.Distinct().Count());
            Assert.All(made, c => Assert.Contains(pool, p => p.Composition == c));
        });
        var loop = runs.Single(r => r.Strategy == LoopStrategy.Loop);
        Assert.Equal(["base", "lora-1 (4 measured)"], loop.Rounds.Select(r => r.ModelVersion));
        Assert.Single(surrogate.UpdateTimes);
        Assert.True(File.Exists(Path.Combine(_dir, "update-1", "tiny-tiny.gguf")), "the update's merged model");
        // Greedy's screening of the base serves the loop's first round; the loop's second round is a new screening.
        Assert.Equal(2, surrogate.ScreenTimes.Count);
        Assert.Matches(new Regex(@"^hits after 2 rounds: loop=\d+ greedy=\d+ random=\d+ loop/random=(\d+\.\d\d|inf)$"), BenchLoopCommand.FinalLine(runs, 2));
    }
}

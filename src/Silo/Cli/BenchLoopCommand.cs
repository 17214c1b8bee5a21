using System.CommandLine;
using System.Globalization;
using DarwinGrid.Domain.Acquisition;
using DarwinGrid.Domain.Data;
using DarwinGrid.Domain.Tasks;
using DarwinGrid.Evaluation.Loop;
using DarwinGrid.Silo.Benchmarks;
using DarwinGrid.Silo.Benchmarks.Loop;
using DarwinGrid.Training.Runs;

namespace DarwinGrid.Silo.Cli;

/// <summary>
/// <c>darwin bench loop</c>: the virtual lab. The pool is one fold's test records of a regression
/// task, the model darwin-mini's recipe trained without them (cached); the loop (acquisition rule +
/// a LoRA update on everything measured after each round), greedy (the base's medians, no updates)
/// and random play the same pool and seed. Ends with
/// <c>hits after N rounds: loop=a greedy=b random=c loop/random=x</c>.
/// </summary>
public static class BenchLoopCommand
{
    public static Command Create()
    {
        var task = new Option<string>("--task") { Description = "The regression task whose fold test part is the pool.", DefaultValueFactory = _ => "matbench_expt_gap" };
        var rounds = new Option<int>("--rounds") { Description = "Rounds of the lab.", DefaultValueFactory = _ => 5 };
        var batch = new Option<int>("--batch") { Description = "Candidates made per round.", DefaultValueFactory = _ => 20 };
        var rule = new Option<string>("--rule") { Description = $"The loop's acquisition rule ({AcquisitionRules.Names}).", DefaultValueFactory = _ => "ei", HelpName = AcquisitionRules.Names };
        var seed = new Option<int>("--seed") { Description = "Seed of the random strategy, the diversity ties and the LoRA updates.", DefaultValueFactory = _ => 1 };
        var fold = new Option<int>("--fold") { Description = "The fold (0-4) whose test part is the pool; the base model is trained without it.", DefaultValueFactory = _ => 0 };
        var updateSteps = new Option<int>("--update-steps") { Description = "Optimizer steps of each LoRA update (at most).", DefaultValueFactory = _ => 40 };
        var threads = new Option<int>("--threads") { Description = "CPU threads for training and the engine (0 = all cores).", DefaultValueFactory = _ => 0 };
        var svg = new Option<FileInfo?>("--svg") { Description = "Also write the discovery curves as an SVG picture to this file." };
        var dataDir = CommonOptions.DataDir();

        var command = new Command("loop", "Play the closed loop against a fold the model never saw: loop (acquisition + LoRA updates), greedy and random; print hits per round.");
        foreach (var option in new Option[] { task, rounds, batch, rule, seed, fold, updateSteps, threads, svg, dataDir }) command.Options.Add(option);
        command.SetReportedAction(async (r, ct) =>
        {
            var output = r.InvocationConfiguration.Output;
            var error = r.InvocationConfiguration.Error;
            var settings = new LoopBenchmarkSettings
            {
                Task = TaskCatalog.Get(r.GetValue(task)!).Name,
                Rounds = r.GetValue(rounds),
                BatchSize = r.GetValue(batch),
                Rule = AcquisitionRules.Parse(r.GetValue(rule)),
                Seed = r.GetValue(seed),
                Fold = r.GetValue(fold),
                Threads = r.GetValue(threads),
                UpdateSteps = r.GetValue(updateSteps),
            };
            if (settings.Threads < 0) throw new ArgumentException($"--threads must not be negative (got {settings.Threads}).");
            if (settings.UpdateSteps < 1) throw new ArgumentException($"--update-steps must be at least 1 (got {settings.UpdateSteps}).");
            var labSettings = LoopBenchmark.LabSettings(settings).Validated();
            var dataRoot = SharedDataLocator.Locate(r.GetValue(dataDir));
            var propertyTask = TaskCatalog.Get(settings.Task);
            var pool = LoopBenchmark.Pool(propertyTask, dataRoot, settings.Fold);
            var lab = new VirtualLab(pool, labSettings);
            var unit = propertyTask.Unit.Length > 0 ? " " + propertyTask.Unit : "";
            output.WriteLine($"bench loop: {propertyTask.Name}, pool = fold {settings.Fold}'s test part ({pool.Count} compositions the model never saw); " +
                             $"objective: maximise the value; hits = the pool's top {LoopBenchmark.HitShare:P0} = {lab.Hits.Compositions.Count} (>= {lab.Hits.Threshold.ToString("0.###", CultureInfo.InvariantCulture)}{unit}); " +
                             $"{settings.Rounds} rounds x {settings.BatchSize}; rule {settings.Rule.Name()}; seed {settings.Seed}; load average {MachineDescription.CurrentLoadAverage()}");

            var logger = new WriterLogger(error);
            var home = DarwinGridHome.Resolve();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var basePath = LoopBaseModel.Ensure(home, dataRoot, settings.Fold, settings.Threads, logger, ct);
            output.WriteLine($"base model: {basePath} (preset mini, fold {settings.Fold} held out, {LoopBaseModel.Describe(basePath)}; ready in {clock.Elapsed.TotalSeconds:F0} s)");

            var work = Directory.CreateTempSubdirectory("darwin-bench-loop-").FullName;
            try
            {
                await using var surrogate = new LanguageModelLabSurrogate(new LabSurrogateSettings(
                    propertyTask.Name, basePath, work, LoopBenchmark.UpdateOptions(dataRoot, settings), Threads: settings.Threads > 0 ? settings.Threads : null));
                var runs = await LoopBenchmark.RunAsync(lab, surrogate, run =>
                {
                    foreach (var round in run.Rounds)
                        output.WriteLine($"{DiscoveryCurveSvg.Name(run.Strategy),-6} round {round.Round}: {round.Hits,2} hits, {round.CumulativeHits,3} so far (model {round.ModelVersion})");
                    output.WriteLine($"{DiscoveryCurveSvg.Name(run.Strategy),-6} done after {clock.Elapsed.TotalSeconds:F0} s; load average {MachineDescription.CurrentLoadAverage()}");
                }, ct);
                output.WriteLine($"screenings: {string.Join(", ", surrogate.ScreenTimes.Select(t => $"{t.TotalSeconds:F0} s"))}; " +
                                 $"LoRA updates: {string.Join(", ", surrogate.UpdateTimes.Select(t => $"{t.TotalSeconds:F0} s"))}");
                WriteTable(output, runs);
                if (r.GetValue(svg) is { } file)
                {
                    File.WriteAllText(file.FullName, DiscoveryCurveSvg.Render(runs,
                        $"{propertyTask.Name}: cumulative hits (top {LoopBenchmark.HitShare:P0} of {pool.Count}), batch {settings.BatchSize}, rule {settings.Rule.Name()}"));
                    output.WriteLine($"wrote {file.FullName}");
                }
                output.WriteLine(FinalLine(runs, settings.Rounds));
            }
            finally
            {
                Directory.Delete(work, recursive: true);
            }
            return 0;
        });
        return command;
    }

    /// <summary>Cumulative hits per round, one column per strategy.</summary>
    private static void WriteTable(TextWriter output, IReadOnlyList<VirtualLabRun> runs)
    {
        output.WriteLine("round " + string.Join(" ", runs.Select(r => $"{DiscoveryCurveSvg.Name(r.Strategy),7}")));
        var rounds = runs.Max(r => r.Rounds.Count);
        for (var i = 0; i < rounds; i++)
            output.WriteLine($"{i + 1,5} " + string.Join(" ", runs.Select(r => $"{(i < r.Rounds.Count ? r.Rounds[i].CumulativeHits : r.Hits),7}")));
    }

    public static string FinalLine(IReadOnlyList<VirtualLabRun> runs, int rounds)
    {
        int Hits(LoopStrategy s) => runs.Single(r => r.Strategy == s).Hits;
        var (loop, greedy, random) = (Hits(LoopStrategy.Loop), Hits(LoopStrategy.Greedy), Hits(LoopStrategy.Random));
        var ratio = random > 0 ? ((double)loop / random).ToString("0.00", CultureInfo.InvariantCulture) : "inf";
        return $"hits after {rounds} rounds: loop={loop} greedy={greedy} random={random} loop/random={ratio}";
    }
}

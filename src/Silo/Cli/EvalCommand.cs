using System.CommandLine;
using System.Globalization;
using DarwinGrid.Domain.Data;
using DarwinGrid.Domain.Predictions;
using DarwinGrid.Domain.Tasks;
using DarwinGrid.Evaluation.Baselines;
using DarwinGrid.Evaluation.Harness;
using DarwinGrid.Evaluation.Models;
using DarwinGrid.Silo.LanguageModelEvaluation;
using DarwinGrid.Training.Optimization;
using Microsoft.Extensions.Logging;

namespace DarwinGrid.Silo.Cli;

/// <summary>
/// <c>darwin eval --tasks T1,T2 --model SPEC [--folds 0..4|0,2] [--out DIR] [--train-steps N] [--seed S|--seeds S1,S2] [--data-dir DIR] [--estimate E] [--views N]</c>:
/// Matbench-style 5-fold cross-validation of one model, resumable per fold. <c>llm:</c> models are
/// trained per fold (and seed) on the training part (their training folders under DIR are reused or
/// resumed); several seeds answer as an ensemble.
/// </summary>
public static class EvalCommand
{
    public const int ExitOk = 0;
    public const int ExitFailed = 1;
    public const int ExitBadArguments = 2;
    public const int ExitCancelled = 130;

    public static readonly IReadOnlyList<string> MatbenchTasks =
        ["matbench_expt_gap", "matbench_is_metal", "matbench_glass", "matbench_steels"];

    /// <summary>The model specs <c>--model</c> accepts, tried in order.</summary>
    public static IReadOnlyList<IModelSpecResolver> ModelResolvers(
        TrainedLanguageModelSpecs? trained = null, NumericEstimate estimate = NumericEstimate.Median, int views = 1, Action<string>? warn = null) =>
        [new BaselineModelSpecs(), new LanguageModelSpecs(estimate, views, warn), trained ?? new TrainedLanguageModelSpecs()];

    private sealed record Arguments(
        string Tasks, string Model, string Folds, string? OutDir, string? DataDir,
        int? TrainSteps, int? QaSteps, string? QaModel, int Threads, string Estimate, int? Seed, string? Seeds, int Views);

    public static Command Create()
    {
        var accepted = new ModelSpecRegistry(ModelResolvers()).AcceptedSpecs;
        var tasks = new Option<string>("--tasks")
        {
            Description = "Comma-separated task names (see 'darwin datasets list').",
            DefaultValueFactory = _ => string.Join(",", MatbenchTasks),
        };
        var model = new Option<string>("--model")
        {
            Description = $"The model to evaluate: {string.Join(", ", accepted)}. llm: models are trained per fold: " +
                          "llm:mini (multi-task on the listed tasks' training parts), +qa (after a literature-QA stage), " +
                          ":single (one model per task), :lora (the multi-task stage as LoRA on the QA model; needs +qa).",
            Required = true,
        };
        var folds = new Option<string>("--folds")
        {
            Description = "Folds to run: a range 0..4, a list 0,2, or one fold (default: all five).",
            DefaultValueFactory = _ => "0..4",
        };
        var outDir = new Option<string?>("--out")
        {
            Description = "Output folder for predictions, metrics.json and results.md (default: results/eval/<model>). " +
                          "Folds whose predictions are already there are not recomputed; llm: training goes to <out>/<all|task>/fold-k/train/ and <out>/qa/train/ " +
                          "(seed 1; another seed s to train-seed-<s>/ beside them).",
        };
        var trainSteps = new Option<int?>("--train-steps")
        {
            Description = "llm: models: optimizer steps of the multi-task stage (no wall-clock limit), so models compare at equal steps. Default: the preset's recipe.",
        };
        var qaSteps = new Option<int?>("--qa-steps") { Description = "llm:...+qa models: optimizer steps of the QA stage (default: the preset's, one pass)." };
        var qaModel = new Option<string?>("--qa-model") { Description = "llm:...+qa models: start the multi-task stage from this QA-stage GGUF instead of training one." };
        var seed = new Option<int?>("--seed")
        {
            Description = "llm: models: train one model per fold with this seed (mixture, initial weights, shuffles; default 1). " +
                          "Seeds other than 1 get their own training folders and predictions files, so several seeds can share one --out.",
        };
        var seeds = new Option<string?>("--seeds")
        {
            Description = $"llm: models: an ensemble, e.g. 1,2,3: per fold one model per seed (each trained, reused or resumed as with --seed), " +
                          $"answering with the mean of the members' estimates, interval bounds and class probabilities. At most {EnsembleSeeds.MaxMembers} distinct seeds >= 1.",
        };
        var threads = new Option<int>("--threads") { Description = "llm: models: training threads (0 = all cores).", DefaultValueFactory = _ => 0 };
        var dataDir = CommonOptions.DataDir();
        var estimate = EstimateOption.Create();
        var views = ViewsOption.Create();

        var command = new Command("eval",
            "Cross-validate a model on property tasks as Matbench does (5 folds, seed 18012019, stratified for classification; " +
            "fit on the training part only). Writes per-fold predictions CSVs, metrics.json (mean, std, min, max over folds) " +
            "and results.md (regression: MAE etc. and, for models that give intervals, interval_coverage and interval_width of the 90% interval). Exit codes: 0 done, 1 training or a model failed, 2 bad arguments or data folder, 130 cancelled.");
        foreach (var option in new Option[] { tasks, model, folds, outDir, trainSteps, qaSteps, qaModel, seed, seeds, threads, dataDir, estimate, views })
            command.Options.Add(option);
        command.SetAction((r, cancellationToken) => RunAsync(
            new Arguments(r.GetValue(tasks)!, r.GetValue(model)!, r.GetValue(folds)!, r.GetValue(outDir), r.GetValue(dataDir),
                r.GetValue(trainSteps), r.GetValue(qaSteps), r.GetValue(qaModel), r.GetValue(threads), r.GetValue(estimate)!,
                r.GetValue(seed), r.GetValue(seeds), r.GetValue(views)),
            r.InvocationConfiguration.Output, r.InvocationConfiguration.Error, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(Arguments a, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        string root;
        IReadOnlyList<PropertyTask> tasks;
        IReadOnlyList<int> folds;
        ModelSpec model;
        using var loggerFactory = LoggerFactory.Create(builder => builder.AddProvider(new TextWriterLoggerProvider(error)));
        // Training progress: one line per 10 s and per epoch when the output is not a terminal (logs stay short).
        var inPlace = !Console.IsOutputRedirected && ReferenceEquals(output, Console.Out);
        var bar = new ConsoleProgressBar(output, TimeSpan.FromSeconds(inPlace ? 1 : 10), inPlace);
        var trainingLog = new WriterLogger(output, bar.EndLine);
        try
        {
            root = SharedDataLocator.Locate(a.DataDir);
            tasks = a.Tasks.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(TaskCatalog.Get).ToArray();
            if (tasks.Count == 0)
                throw new ArgumentException("--tasks names no task.");
            folds = FoldSelection.Parse(a.Folds);
            var estimate = NumericEstimates.Parse(a.Estimate);
            var seeds = EnsembleSeeds.Parse(a.Seed, a.Seeds);
            var views = ViewsOption.Check(a.Views);
            var warnings = new DistinctWarnings(error);
            var trainingOptions = new TrainedModelOptions
            {
                TrainSteps = a.TrainSteps, QaSteps = a.QaSteps, QaModel = a.QaModel, Threads = a.Threads, Estimate = estimate, Seeds = seeds, Views = views,
            };
            var registry = new ModelSpecRegistry(ModelResolvers(new TrainedLanguageModelSpecs(trainingOptions, bar, trainingLog, warnings.Warn), estimate, views, warnings.Warn));
            model = registry.Resolve(a.Model, new ModelSpecContext(root, loggerFactory));
            if ((a.TrainSteps ?? a.QaSteps) is not null && TrainedModelSpec.TryParse(a.Model) is null)
                throw new ArgumentException($"--train-steps and --qa-steps apply to llm: models, not to '{a.Model}'.");
            if ((a.Seed is not null || a.Seeds is not null) && TrainedModelSpec.TryParse(a.Model) is null)
                throw new ArgumentException($"--seed and --seeds choose how llm: models are trained; '{a.Model}' is not trained by the evaluation.");
            if (views != 1 && TrainedModelSpec.TryParse(a.Model) is null && !a.Model.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase))
                throw new ArgumentException($"--views applies to language models (GGUF files and llm: specs), not to '{a.Model}'.");
        }
        catch (Exception e) when (e is DirectoryNotFoundException or KeyNotFoundException or ArgumentException or FormatException)
        {
            error.WriteLine(e.Message);
            return ExitBadArguments;
        }

        // llama.cpp would log every tensor of every fold's model load; its errors still show.
        Hosting.NativeLog.ErrorsOnly();
        // By default every seed of an llm: spec shares one folder, so an ensemble reuses the single-seed runs' models.
        var destination = Path.GetFullPath(a.OutDir ?? Path.Combine("results", "eval", TrainedModelSpec.TryParse(a.Model)?.Name ?? model.Name));
        output.WriteLine($"Evaluating {model.Name} ({model.Description}) on {string.Join(", ", tasks)}, folds {string.Join(",", folds)}");
        output.WriteLine($"Data: {root}");
        output.WriteLine($"Output: {destination}");

        var progress = new SynchronousProgress(p =>
        {
            if (p.Stage is FoldStage.Scored or FoldStage.Fitting)
            {
                bar.EndLine();
                output.WriteLine(p.ToString());
            }
        });
        EvaluationReport report;
        try
        {
            report = await new CrossValidation(root, loggerFactory.CreateLogger<CrossValidation>())
                .RunAsync(tasks, model, folds, destination, progress, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            bar.EndLine();
            error.WriteLine($"darwin eval: cancelled. Finished folds and training checkpoints in {destination} are kept; run the same command again to continue.");
            return ExitCancelled;
        }
        catch (NotSupportedException e)
        {
            error.WriteLine(e.Message);
            return ExitBadArguments;
        }
        catch (Exception e) when (e is InvalidDataException or TrainingDivergedException or IOException or ArgumentException)
        {
            bar.EndLine();
            error.WriteLine($"darwin eval: {e.Message}");
            return ExitFailed;
        }

        output.WriteLine();
        TextTable.Write(output, ["task", "metric", "mean", "std", "folds", "failures"],
            report.Tasks.Select(t => new[]
            {
                t.Task, t.PrimaryMetric,
                t.Primary is null ? "n/a" : t.Primary.Mean.ToString("0.0000", CultureInfo.InvariantCulture),
                t.Primary is null ? "" : t.Primary.Std.ToString("0.0000", CultureInfo.InvariantCulture),
                t.Folds.Count.ToString(CultureInfo.InvariantCulture),
                t.Failures.ToString(CultureInfo.InvariantCulture),
            }).ToArray(), rightAligned: [2, 3, 4, 5]);
        output.WriteLine($"Wrote {Path.Combine(destination, CrossValidation.MetricsFileName)} and {CrossValidation.MarkdownFileName}");
        return ExitOk;
    }

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; would post to the thread pool and reorder lines).</summary>
    private sealed class SynchronousProgress(Action<CrossValidationProgress> report) : IProgress<CrossValidationProgress>
    {
        public void Report(CrossValidationProgress value) => report(value);
    }
}

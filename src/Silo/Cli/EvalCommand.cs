using System.CommandLine;
using System.Globalization;
using DarwinGrid.Domain.Data;
using DarwinGrid.Domain.Tasks;
using DarwinGrid.Evaluation.Baselines;
using DarwinGrid.Evaluation.Harness;
using DarwinGrid.Evaluation.Models;
using Microsoft.Extensions.Logging;

namespace DarwinGrid.Silo.Cli;

/// <summary>
/// <c>darwin eval --tasks T1,T2 --model SPEC [--folds 0..4|0,2] [--out DIR] [--data-dir DIR]</c>:
/// Matbench-style 5-fold cross-validation of one model, resumable per fold.
/// </summary>
public static class EvalCommand
{
    public const int ExitOk = 0;
    public const int ExitBadArguments = 2;

    public static readonly IReadOnlyList<string> MatbenchTasks =
        ["matbench_expt_gap", "matbench_is_metal", "matbench_glass", "matbench_steels"];

    /// <summary>
    /// The model specs <c>--model</c> accepts, tried in order. Language-model specs
    /// (<c>file.gguf</c>, <c>mini</c>) plug in here as further resolvers.
    /// </summary>
    public static IReadOnlyList<IModelSpecResolver> ModelResolvers() => [new BaselineModelSpecs(), new Models.LanguageModelSpecs()];

    public static Command Create()
    {
        var registry = new ModelSpecRegistry(ModelResolvers());
        var tasks = new Option<string>("--tasks")
        {
            Description = "Comma-separated task names (see 'darwin datasets list').",
            DefaultValueFactory = _ => string.Join(",", MatbenchTasks),
        };
        var model = new Option<string>("--model")
        {
            Description = $"The model to evaluate: {string.Join(", ", registry.AcceptedSpecs)}.",
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
                          "Folds whose predictions are already there are not recomputed.",
        };
        var dataDir = CommonOptions.DataDir();

        var command = new Command("eval",
            "Cross-validate a model on property tasks as Matbench does (5 folds, seed 18012019, stratified for classification; " +
            "fit on the training part only). Writes per-fold predictions CSVs, metrics.json (mean, std, min, max over folds) " +
            "and results.md. Exit codes: 0 done, 2 bad arguments or data folder.");
        command.Options.Add(tasks);
        command.Options.Add(model);
        command.Options.Add(folds);
        command.Options.Add(outDir);
        command.Options.Add(dataDir);
        command.SetAction((result, cancellationToken) => RunAsync(
            registry, result.GetValue(tasks)!, result.GetValue(model)!, result.GetValue(folds)!, result.GetValue(outDir), result.GetValue(dataDir),
            result.InvocationConfiguration.Output, result.InvocationConfiguration.Error, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ModelSpecRegistry registry, string taskList, string modelSpec, string foldText, string? outDir,
        string? dataDir, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        string root;
        IReadOnlyList<PropertyTask> tasks;
        IReadOnlyList<int> folds;
        ModelSpec model;
        using var loggerFactory = LoggerFactory.Create(builder => builder.AddProvider(new TextWriterLoggerProvider(error)));
        try
        {
            root = SharedDataLocator.Locate(dataDir);
            tasks = taskList.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(TaskCatalog.Get).ToArray();
            if (tasks.Count == 0)
                throw new ArgumentException("--tasks names no task.");
            folds = FoldSelection.Parse(foldText);
            model = registry.Resolve(modelSpec, new ModelSpecContext(root, loggerFactory));
        }
        catch (Exception e) when (e is DirectoryNotFoundException or KeyNotFoundException or ArgumentException or FormatException)
        {
            error.WriteLine(e.Message);
            return ExitBadArguments;
        }

        var destination = Path.GetFullPath(outDir ?? Path.Combine("results", "eval", model.Name));
        output.WriteLine($"Evaluating {model.Name} ({model.Description}) on {string.Join(", ", tasks)}, folds {string.Join(",", folds)}");
        output.WriteLine($"Data: {root}");
        output.WriteLine($"Output: {destination}");

        var progress = new SynchronousProgress(p =>
        {
            if (p.Stage is FoldStage.Scored)
                output.WriteLine(p.ToString());
        });
        EvaluationReport report;
        try
        {
            report = await new CrossValidation(root, loggerFactory.CreateLogger<CrossValidation>())
                .RunAsync(tasks, model, folds, destination, progress, cancellationToken);
        }
        catch (NotSupportedException e)
        {
            error.WriteLine(e.Message);
            return ExitBadArguments;
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

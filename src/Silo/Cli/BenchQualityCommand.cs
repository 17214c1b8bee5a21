using System.CommandLine;
using System.Globalization;
using DarwinGrid.Domain.Data;
using DarwinGrid.Domain.Prompts;
using DarwinGrid.Silo.Benchmarks;
using DarwinGrid.Training.Data;
using DarwinGrid.Training.Runs;
using DarwinGrid.Training.Tokenization;

namespace DarwinGrid.Silo.Cli;

/// <summary><c>darwin bench quality</c>: a trained model's Matbench scores on one fold's test part, next to the dummy baseline.</summary>
public static class BenchQualityCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "The trained GGUF (trained without this fold, e.g. darwin train --fold 0).", Required = true };
        var fold = new Option<int>("--fold") { Description = "The Matbench fold whose test part is scored (0-4).", DefaultValueFactory = _ => 0 };
        var tasks = new Option<string?>("--tasks") { Description = "Comma-separated tasks (default: the four Matbench tasks)." };
        var format = new Option<string>("--format") { Description = "The prompt format the model was trained with.", DefaultValueFactory = _ => "darwin" };
        var threads = new Option<int?>("--threads") { Description = "CPU threads for inference (default: llama.cpp's)." };
        var dataDir = CommonOptions.DataDir();

        var command = new Command("quality", "Score a trained model on a Matbench fold's test part (MAE / ROC-AUC) next to the dummy baseline (train mean / majority class).");
        foreach (var option in new Option[] { model, fold, tasks, format, threads, dataDir }) command.Options.Add(option);
        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var stdout = r.InvocationConfiguration.Output;
            try
            {
                var path = Path.GetFullPath(r.GetValue(model)!);
                if (!File.Exists(path)) throw new FileNotFoundException($"Model '{path}' does not exist.", path);
                var dataRoot = SharedDataLocator.Locate(r.GetValue(dataDir));
                var selection = new FoldSelection(r.GetValue(fold)).Validated();
                var taskNames = TrainCommand.ParseTasks(r.GetValue(tasks)) ?? TrainingPresets.MatbenchTasks;
                var tokenizer = new DarwinTokenizer(BuiltInVocabulary.Create(dataRoot));
                var clock = System.Diagnostics.Stopwatch.StartNew();
                var scores = await FoldEvaluation.RunAsync(path, dataRoot, taskNames, selection, PromptFormats.Get(r.GetValue(format)!), tokenizer, r.GetValue(threads), ct);
                stdout.WriteLine($"model {path}, fold {selection.Index} test part ({clock.Elapsed.TotalSeconds:F0} s)");
                var rows = scores.Select(s => new[]
                {
                    s.Task, s.Metric, N(s.Model), N(s.Dummy), $"{s.Scored}/{s.TestRecords}", s.ParseFailures.ToString(CultureInfo.InvariantCulture),
                    s.ModelAccuracy is { } a ? a.ToString("P1", CultureInfo.InvariantCulture) : "", s.DummyAccuracy is { } d ? d.ToString("P1", CultureInfo.InvariantCulture) : "",
                }).ToList();
                TextTable.Write(stdout, ["task", "metric", "model", "dummy", "scored", "parse failures", "accuracy", "dummy accuracy"], rows);
                foreach (var s in scores.Where(s => s.Spread is not null))
                    stdout.WriteLine($"{s.Task}: predictions spread (std) {N(s.Spread!.Value.Predicted)}, true values {N(s.Spread.Value.Actual)}");
                foreach (var s in scores.Where(s => s.FailureExamples.Count > 0))
                    stdout.WriteLine($"{s.Task}: unparsed answers, e.g. {string.Join(" | ", s.FailureExamples.Select(f => $"'{f.ReplaceLineEndings(" ")}'"))}");
                return 0;
            }
            catch (Exception e) when (e is ArgumentException or KeyNotFoundException or DirectoryNotFoundException or FileNotFoundException or InvalidDataException)
            {
                r.InvocationConfiguration.Error.WriteLine($"darwin bench quality: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static string N(double value) => double.IsFinite(value) ? value.ToString("G4", CultureInfo.InvariantCulture) : "-";
}

using System.CommandLine;
using System.Globalization;
using CsvHelper;
using DarwinGrid.Domain.Compositions;
using DarwinGrid.Domain.Datasets;
using DarwinGrid.Domain.Predictions;
using DarwinGrid.Domain.Tasks;
using DarwinGrid.Inference.Engine;
using DarwinGrid.Inference.Models;
using DarwinGrid.Inference.Prediction;

namespace DarwinGrid.Silo.Cli;

/// <summary>
/// <c>darwin predict</c>: streams a CSV of candidates through a model and writes
/// <c>composition,prediction[,probability],raw_answer,error[,prediction_low,prediction_high]</c> per
/// row. The column names are a contract (models are evaluated from outside with it): keep them stable.
/// </summary>
public static class PredictCommand
{
    public const int ExitOk = 0;
    public const int ExitBadInput = 2;

    public static Command Create()
    {
        var model = new Option<FileInfo>("--model", "-m") { Description = "The model GGUF file.", Required = true };
        var lora = new Option<string[]>("--lora")
        {
            Description = "LoRA adapter GGUF applied to the model, optionally with a scale: ADAPTER.gguf[:SCALE] (repeatable).",
            AllowMultipleArgumentsPerToken = false,
        };
        var task = new Option<string>("--task", "-t") { Description = "The property task (catalog name or alias, see 'darwin datasets list').", Required = true };
        var input = new Option<FileInfo>("--input", "-i") { Description = "CSV of candidates with a header row.", Required = true };
        var column = new Option<string>("--column", "-c") { Description = "The input column.", DefaultValueFactory = _ => "composition" };
        var output = new Option<FileInfo>("--output", "-o") { Description = "Where to write the predictions CSV.", Required = true };
        var format = new Option<string>("--prompt-format") { Description = "Prompt format the model was trained with: darwin (DARWIN 1.5, darwin-mini) or compact.", DefaultValueFactory = _ => "darwin" };
        var seqMax = new Option<int>("--seqmax") { Description = "Candidates decoded together in one batch.", DefaultValueFactory = _ => 32 };
        var threads = new Option<int?>("--threads") { Description = "CPU threads (default: llama.cpp's choice)." };
        var estimate = EstimateOption.Create();
        var views = ViewsOption.Create();
        var samples = new Option<int>("--samples") { Description = "Extra sampled answers per regression candidate for a spread (0: greedy only).", DefaultValueFactory = _ => 0 };

        var command = new Command("predict",
            "Predict one property for every row of a CSV. Writes composition,prediction[,probability],raw_answer,error " +
            "(probability for classification tasks: of the positive class for yes/no tasks), then prediction_low,prediction_high " +
            "for regression tasks (the central interval: calibrated when the model carries a calibration, else the model's own 90%). Rows whose input or answer " +
            "cannot be read get an error and the run goes on; a summary is printed at the end.");
        foreach (var option in new Option[] { model, lora, task, input, column, output, format, seqMax, threads, samples, estimate, views }) command.Options.Add(option);
        command.SetAction((r, ct) => new Run(
            r.GetValue(model)!, r.GetValue(lora) ?? [], r.GetValue(task)!, r.GetValue(input)!, r.GetValue(column)!, r.GetValue(output)!,
            r.GetValue(format)!, r.GetValue(seqMax), r.GetValue(threads), r.GetValue(samples), r.GetValue(estimate)!, r.GetValue(views),
            r.InvocationConfiguration.Output, r.InvocationConfiguration.Error).ExecuteAsync(ct));
        return command;
    }

    private sealed record Run(
        FileInfo Model, string[] Adapters, string TaskName, FileInfo Input, string Column, FileInfo Output,
        string PromptFormat, int SeqMax, int? Threads, int Samples, string Estimate, int Views, TextWriter StandardOutput, TextWriter StandardError)
    {
        public async Task<int> ExecuteAsync(CancellationToken cancellationToken)
        {
            var task = TaskAliases.TryResolve(TaskName);
            if (task is null) return Fail($"Unknown task '{TaskName}'. Known tasks: {string.Join(", ", TaskCatalog.All.Select(t => t.Name))}.");
            if (!Input.Exists) return Fail($"Input file '{Input.FullName}' does not exist.");
            if (SeqMax < 1) return Fail($"--seqmax must be at least 1 (got {SeqMax}).");

            EngineOptions options;
            PredictionOptions predictionOptions;
            try
            {
                ViewsOption.Check(Views);
                options = new EngineOptions
                {
                    ModelPath = Model.FullName, SeqMax = SeqMax, Threads = Threads, BatchThreads = Threads,
                    LoraAdapters = [.. Adapters.Select(AdapterOption.Parse)],
                }.WithPrefixesForViews(Views).Validated();
                predictionOptions = new PredictionOptions
                {
                    PromptFormat = PromptFormat, UncertaintySamples = Samples, Estimate = NumericEstimates.Parse(Estimate), Views = Views,
                }.Validated();
                // An unknown format is reported before the model is loaded, not after.
                Domain.Prompts.PromptFormats.Get(PromptFormat);
            }
            catch (Exception e) when (e is ArgumentException or KeyNotFoundException or FormatException)
            {
                return Fail(e.Message);
            }

            InferenceEngine engine;
            try
            {
                engine = InferenceEngine.Start(options);
            }
            catch (ModelFileException e)
            {
                return Fail(e.Message);
            }

            await using (engine)
            {
                if (engine.Calibration?.ViewsMismatch(Views) is { } mismatch) StandardError.WriteLine(mismatch);
                try
                {
                    var summary = await PredictToFileAsync(new PropertyPredictor(engine, predictionOptions), task, cancellationToken);
                    StandardError.WriteLine(summary);
                    return ExitOk;
                }
                catch (CsvColumnNotFoundException e)
                {
                    return Fail($"{Input.Name}: {e.Message}");
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    return Fail($"Cannot predict '{Input.FullName}' into '{Output.FullName}': {e.Message}");
                }
            }
        }

        private async Task<string> PredictToFileAsync(PropertyPredictor predictor, PropertyTask task, CancellationToken cancellationToken)
        {
            var classification = task.Kind != TaskKind.Regression;
            var temporary = Output.FullName + ".tmp";
            long rows = 0, failed = 0;
            var progress = new ConsoleProgress(StandardError, $"{task.Name}:");
            try
            {
                using (var reader = new StreamReader(Input.FullName, detectEncodingFromByteOrderMarks: true))
                using (var writer = new StreamWriter(temporary))
                using (var csv = new CsvWriter(writer, CultureInfo.InvariantCulture))
                {
                    foreach (var name in PredictionCsv.Header(classification)) csv.WriteField(name);
                    await csv.NextRecordAsync();
                    var cells = CsvColumnReader.Read(reader, Column);
                    await foreach (var (cell, prediction) in predictor.PredictAsync(task, cells, c => c.Value, 4 * SeqMax, cancellationToken))
                    {
                        rows++;
                        if (!prediction.Succeeded)
                        {
                            failed++;
                            StandardError.WriteLine($"{Input.Name}: line {cell.Line}: {prediction.Error}");
                        }
                        PredictionCsv.Write(csv, cell.Value, prediction, classification);
                        await csv.NextRecordAsync();
                        progress.Report(rows, failed > 0 ? $"({failed:N0} failed)" : null);
                    }
                }
                File.Move(temporary, Output.FullName, overwrite: true);
            }
            finally
            {
                File.Delete(temporary);
            }
            progress.Finish(rows);
            var stats = predictor.Engine.Stats;
            return $"{Input.Name}: {rows:N0} rows, {rows - failed:N0} predicted, {failed:N0} failed, " +
                   $"{rows / Math.Max(progress.Elapsed.TotalSeconds, 1e-3):N1} candidates/s, " +
                   $"{stats.PromptTokensPerCandidateWithSharing:F1} prompt tokens evaluated per {(Views == 1 ? "candidate" : "view")} " +
                   $"({stats.PromptTokensPerCandidateWithoutSharing:F1} without sharing); wrote {Output.FullName}";
        }

        private int Fail(string message)
        {
            StandardError.WriteLine(message);
            return ExitBadInput;
        }
    }
}

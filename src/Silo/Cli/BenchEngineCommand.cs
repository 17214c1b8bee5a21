using System.CommandLine;
using System.Globalization;
using DarwinGrid.Domain.Data;
using DarwinGrid.Domain.Datasets;
using DarwinGrid.Domain.Predictions;
using DarwinGrid.Domain.Tasks;
using DarwinGrid.Inference.Benchmarks;
using DarwinGrid.Inference.Engine;
using DarwinGrid.Inference.Models;
using DarwinGrid.Inference.Prediction;
using LLama.Native;

namespace DarwinGrid.Silo.Cli;

/// <summary>
/// <c>darwin bench engine</c>: candidates/s and tokens/s of naive one-at-a-time evaluation, the
/// batching engine (greedy answers), a bare batched-decode ceiling and, for regression tasks, the
/// engine's distribution search (what median/mean predictions cost), on the same model and a
/// catalog task's prompts.
/// </summary>
public static class BenchEngineCommand
{
    public static Command Create()
    {
        var model = new Option<FileInfo?>("--model") { Description = "Model GGUF (default: a random 128x4 model in a temp folder)." };
        var count = new Option<int>("--n") { Description = "Candidates per engine/ceiling run.", DefaultValueFactory = _ => 2000 };
        var naiveCount = new Option<int>("--naive-n") { Description = "Candidates per naive run (it is slow; its rate does not depend on n).", DefaultValueFactory = _ => 200 };
        var seqMax = new Option<int>("--seqmax") { Description = "Sequences decoded together (128: larger batches amortise the per-decode work; measured best here).", DefaultValueFactory = _ => 128 };
        var maxTokens = new Option<int>("--max-tokens") { Description = "Answer token cap (all modes).", DefaultValueFactory = _ => 8 };
        var threads = new Option<int>("--threads") { Description = "CPU threads for llama.cpp.", DefaultValueFactory = _ => 2 };
        var repeats = new Option<int>("--repeats") { Description = "Runs per mode; medians are reported.", DefaultValueFactory = _ => 3 };
        var contextSize = new Option<uint>("--context") { Description = "KV cells (unified across sequences).", DefaultValueFactory = _ => 4096 };
        var task = new Option<string>("--task") { Description = "The catalog task whose candidates and prompts are used.", DefaultValueFactory = _ => "matbench_expt_gap" };
        var format = new Option<string>("--prompt-format") { Description = "darwin (DARWIN 1.5, darwin-mini) or compact.", DefaultValueFactory = _ => "darwin" };
        var dataDir = CommonOptions.DataDir();

        var command = new Command("engine", "Benchmark the inference engine against naive evaluation and a raw batched-decode ceiling, on a catalog task's candidates and prompts. Last line: engine/naive=<x> engine/ceiling=<y>.");
        foreach (var option in new Option[] { model, task, format, count, naiveCount, seqMax, maxTokens, threads, repeats, contextSize, dataDir }) command.Options.Add(option);
        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var settings = new Settings(r.GetValue(model)?.FullName, r.GetValue(task)!, r.GetValue(format)!, r.GetValue(count), r.GetValue(naiveCount), r.GetValue(seqMax),
                r.GetValue(maxTokens), r.GetValue(threads), r.GetValue(repeats), r.GetValue(contextSize), r.GetValue(dataDir));
            try
            {
                return await RunAsync(settings, r.InvocationConfiguration.Output, ct);
            }
            catch (Exception e) when (e is ModelFileException or ArgumentException or DirectoryNotFoundException or KeyNotFoundException)
            {
                // A model the engine cannot load, a bad count, an unknown task or no data folder: the
                // user's input, so one line naming it and no stack trace.
                r.InvocationConfiguration.Error.WriteLine($"darwin bench engine: {e.Message}");
                return 2;
            }
        });
        return command;
    }

    public sealed record Settings(string? ModelPath, string Task, string PromptFormat, int Candidates, int NaiveCandidates, int SeqMax, int MaxTokens, int Threads, int Repeats, uint ContextSize, string? DataDir);

    public static async Task<int> RunAsync(Settings s, TextWriter output, CancellationToken ct)
    {
        if (s.Candidates < 1 || s.NaiveCandidates < 1 || s.Repeats < 1 || s.MaxTokens < 1)
            throw new ArgumentException("--n, --naive-n, --repeats and --max-tokens must be at least 1.");
        QuietNativeLog();
        var task = TaskAliases.Resolve(s.Task);
        var dataRoot = SharedDataLocator.Locate(s.DataDir);
        var builder = new PredictionRequestBuilder(new PredictionOptions { PromptFormat = s.PromptFormat, MaxNumericTokens = s.MaxTokens }.Validated());
        var records = TaskDatasetLoader.Load(task, dataRoot).Records;
        var requests = records.Select(record => builder.Build(task, record.Input, NumericEstimate.Greedy)).ToArray();
        var distribution = task.Kind == TaskKind.Regression ? records.Select(record => builder.Build(task, record.Input, NumericEstimate.Median)).ToArray() : null;
        string? temporary = null;
        try
        {
            var modelPath = s.ModelPath;
            if (modelPath is null)
            {
                temporary = Directory.CreateTempSubdirectory("darwin-bench-").FullName;
                modelPath = RandomBenchModel.Write(temporary, dataRoot);
            }
            var options = new EngineOptions
            {
                ModelPath = modelPath, SeqMax = s.SeqMax, ContextSize = s.ContextSize, Threads = s.Threads, BatchThreads = s.Threads,
                BatchSize = (uint)Math.Max(512, s.SeqMax), UBatchSize = (uint)Math.Max(512, s.SeqMax),
                QueueCapacity = Math.Max(256, 4 * s.SeqMax),
            };
            await output.WriteLineAsync($"bench engine: {(s.ModelPath ?? "random 128x4 model")}, task {task.Name} ({s.PromptFormat} prompts), {s.Candidates} candidates " +
                $"(naive {s.NaiveCandidates}), seqmax {s.SeqMax}, answer cap {s.MaxTokens} tokens, {s.Threads} threads, " +
                $"median of {s.Repeats} runs (the cores may be shared with other work)");
            var result = await EngineBenchmark.RunAsync(
                new EngineBenchmarkSettings(options, requests, s.Candidates, s.NaiveCandidates, s.MaxTokens, s.Repeats, distribution),
                line => output.WriteLine(line), ct);
            await output.WriteLineAsync("medians:");
            foreach (var m in new[] { result.Naive, result.Engine, result.Ceiling, result.Distribution }.OfType<ModeMeasurement>()) await output.WriteLineAsync("  " + EngineBenchmark.Describe(m));
            var stats = result.EngineStats;
            await output.WriteLineAsync(FormattableString.Invariant(
                $"engine prompt tokens per candidate: {stats.PromptTokensPerCandidateWithoutSharing:F1} without sharing, {stats.PromptTokensPerCandidateWithSharing:F1} with; mean batch {stats.MeanBatchTokens:F1} tokens"));
            if (result.DistributionCost is { } cost)
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"distribution cost: greedy/distribution={cost:F2} (candidates/s of greedy answers over whole distributions)"));
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"engine/naive={result.EngineOverNaive:F2} engine/ceiling={result.EngineOverCeiling:F2}"));
            return 0;
        }
        finally
        {
            if (temporary is not null) Directory.Delete(temporary, recursive: true);
        }
    }

    // llama.cpp logs every tensor it loads; keep only errors so the figures stay readable.
    private static void QuietNativeLog() =>
        NativeLogConfig.llama_log_set((level, message) =>
        {
            if (level == LLamaLogLevel.Error) Console.Error.Write(message);
        });
}

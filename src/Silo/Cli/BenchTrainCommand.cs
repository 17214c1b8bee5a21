using System.CommandLine;
using System.Text.Json;
using DarwinGrid.Domain.Data;
using DarwinGrid.Training.Models;
using DarwinGrid.Training.Optimization;
using DarwinGrid.Training.Tokenization;

namespace DarwinGrid.Silo.Cli;

/// <summary><c>darwin bench train</c>: training throughput and memory of a small model on band-gap records.</summary>
public static class BenchTrainCommand
{
    public static Command Create()
    {
        var layers = new Option<int>("--layers") { Description = "Transformer blocks.", DefaultValueFactory = _ => 4 };
        var embd = new Option<int>("--embd") { Description = "Embedding width.", DefaultValueFactory = _ => 128 };
        var heads = new Option<int>("--heads") { Description = "Attention heads.", DefaultValueFactory = _ => 4 };
        var kvHeads = new Option<int>("--kv-heads") { Description = "KV heads (0 = same as --heads).", DefaultValueFactory = _ => 0 };
        var ffn = new Option<int>("--ffn") { Description = "Feed-forward width (0 = 3 x --embd).", DefaultValueFactory = _ => 0 };
        var steps = new Option<int>("--steps") { Description = "Optimizer steps to time.", DefaultValueFactory = _ => 40 };
        var batch = new Option<int>("--batch") { Description = "Rows per batch.", DefaultValueFactory = _ => 8 };
        var window = new Option<int>("--window") { Description = "Tokens per row (0 = from the records).", DefaultValueFactory = _ => 0 };
        var layout = new Option<RecordLayout>("--layout") { Description = "Packed or Padded rows.", DefaultValueFactory = _ => RecordLayout.Packed };
        var threads = new Option<int>("--threads") { Description = "CPU threads (0 = all cores).", DefaultValueFactory = _ => 0 };
        var dataDir = CommonOptions.DataDir();

        var command = new Command("train", "Train a randomly initialised LLaMA on matbench band-gap records for a few dozen steps; print tokens/s and peak memory.");
        foreach (var option in new Option[] { layers, embd, heads, kvHeads, ffn, steps, batch, window, layout, threads, dataDir }) command.Options.Add(option);
        command.SetAction((ParseResult r, CancellationToken ct) =>
        {
            var console = r.InvocationConfiguration.Output;
            var records = BandGapTexts(SharedDataLocator.Locate(r.GetValue(dataDir)));
            var vocabulary = CharacterVocabulary.Build(records.SelectMany(x => new[] { x.Prompt, x.Answer }));
            var trainingRecords = records.Select(x => new TrainingRecord(
                [vocabulary.Vocabulary.BosId, .. vocabulary.Tokenize(x.Prompt)],
                [.. vocabulary.Tokenize(x.Answer), vocabulary.Vocabulary.EosId])).ToList();
            var width = r.GetValue(embd);
            var shape = new LlamaHyperparameters(vocabulary.Vocabulary.Count, width, r.GetValue(layers), r.GetValue(heads),
                r.GetValue(kvHeads) > 0 ? r.GetValue(kvHeads) : r.GetValue(heads), r.GetValue(ffn) > 0 ? r.GetValue(ffn) : 3 * width,
                ContextLength: 512).Validated();
            var model = new LlamaCheckpoint(shape, [], RandomLlamaModel.CreateWeights(shape, seed: 1));
            var options = new TrainerOptions
            {
                BatchRows = r.GetValue(batch), WindowLength = r.GetValue(window), Layout = r.GetValue(layout),
                Threads = r.GetValue(threads), LearningRate = 1e-3f, WarmupSteps = 5,
            };

            console.WriteLine($"model: {shape.ParameterCount:N0} parameters ({width} x {shape.BlockCount}, {shape.HeadCount}/{shape.HeadCountKv} heads, FFN {shape.FeedForwardLength}, vocabulary {shape.VocabSize}); {trainingRecords.Count} band-gap records");
            var result = TrainingBenchmark.Run(model, trainingRecords, options, r.GetValue(steps), cancellationToken: ct);
            console.WriteLine($"layout: {result.Layout.Records}, {result.Layout.Rows} rows x {result.Layout.TokensPerRow} tokens, {result.Layout.AnswerSlots} answer slots; threads {options.EffectiveThreads}");
            console.WriteLine($"steps: {result.Steps} in {result.Elapsed.TotalSeconds:F1} s; answer loss {result.FirstLoss:F3} -> {result.LastLoss:F3}");
            console.WriteLine($"training tokens/s (all weights, fwd+bwd+AdamW): median {result.MedianTokensPerSecond:F0}, overall {result.OverallTokensPerSecond:F0}");
            console.WriteLine($"compute buffer: {result.ComputeBufferBytes / 1048576.0:F1} MiB; peak working set: {result.PeakWorkingSetBytes / 1048576.0:F0} MiB");
            return Task.FromResult(0);
        });
        return command;
    }

    private sealed record InstructionRecord(string Instruction, string Input, string Output);

    /// <summary>
    /// DARWIN's band-gap instruction records as "instruction input" -> " output". A plain stand-in for
    /// the DARWIN prompt template, which lives with the dataset catalog.
    /// </summary>
    private static List<(string Prompt, string Answer)> BandGapTexts(string dataRoot)
    {
        var path = Path.Combine(dataRoot, "darwin", "matbench_expt_gap", "matbench_expt_gap.json");
        if (!File.Exists(path)) throw new FileNotFoundException($"Band-gap records not found at '{path}'.", path);
        var records = JsonSerializer.Deserialize<List<InstructionRecord>>(File.ReadAllText(path), new JsonSerializerOptions { PropertyNameCaseInsensitive = true })
            ?? throw new InvalidDataException($"'{path}' holds no records.");
        return records.Select(x => ($"{x.Instruction} {x.Input.Trim()}", x.Output.TrimEnd('\n'))).ToList();
    }
}

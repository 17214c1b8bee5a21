using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using DarwinGrid.Domain.Data;
using DarwinGrid.Training.Gguf;
using DarwinGrid.Training.Lora;
using DarwinGrid.Training.Models;
using DarwinGrid.Training.Optimization;
using DarwinGrid.Training.Runs;
using DarwinGrid.Training.Tokenization;
using LLama;
using LLama.Native;

namespace DarwinGrid.Silo.Cli;

/// <summary>
/// <c>darwin bench lora7b</c>: DARWIN's size on this machine. Writes a random LLaMA-7B-shaped GGUF
/// (32 x 4096, FFN 11,008, 32 heads, 32k SentencePiece-style vocabulary) in F16 tensor by tensor,
/// quantizes it to Q4_K_M with llama.cpp's quantizer, then measures candidates/s through the engine
/// and seconds per LoRA step (rank 8 on q and v, the mini preset's multi-task window) on the Q4_K_M
/// base, each with the process's peak resident memory (VmHWM). Parts can run in separate processes
/// (<c>--part make|engine|train</c>) so each peak is that part's own.
/// </summary>
public static class BenchLora7bCommand
{
    public static Command Create()
    {
        var dir = new Option<DirectoryInfo?>("--dir") { Description = "Work folder for the model files (default: a folder under the temp directory)." };
        var part = new Option<string>("--part") { Description = "all, make (write + quantize), engine or train.", DefaultValueFactory = _ => "all" };
        var layers = new Option<int>("--layers") { Description = "Transformer blocks.", DefaultValueFactory = _ => 32 };
        var embd = new Option<int>("--embd") { Description = "Embedding width.", DefaultValueFactory = _ => 4096 };
        var ffn = new Option<int>("--ffn") { Description = "Feed-forward width.", DefaultValueFactory = _ => 11008 };
        var heads = new Option<int>("--heads") { Description = "Attention heads (and KV heads).", DefaultValueFactory = _ => 32 };
        var vocab = new Option<int>("--vocab") { Description = "Vocabulary size (the built-in pieces padded with unused ones).", DefaultValueFactory = _ => 32000 };
        var candidates = new Option<int>("--candidates") { Description = "Candidates per engine run (decoded together).", DefaultValueFactory = _ => 8 };
        var steps = new Option<int>("--steps") { Description = "LoRA steps to time (the first includes allocation; at least 2).", DefaultValueFactory = _ => 2 };
        var rows = new Option<int>("--rows") { Description = "Rows of the multi-task window per LoRA step.", DefaultValueFactory = _ => 1 };
        var threads = new Option<int>("--threads") { Description = "CPU threads.", DefaultValueFactory = _ => 2 };
        var make = new Option<string>("--make") { Description = "How the Q4_K_M model is made: quantize (F16 written tensor by tensor, then llama.cpp's quantizer; ~13.5 GB on disk for a while) or direct (random Q4_K/Q6_K blocks written in llama.cpp's Q4_K_M mix: no intermediate, minutes instead of an hour on busy cores).", DefaultValueFactory = _ => "quantize" };
        var keep = new Option<bool>("--keep") { Description = "Keep the Q4_K_M model afterwards (the F16 one is always deleted once quantized)." };
        var dataDir = CommonOptions.DataDir();

        var command = new Command("lora7b", "Make a random LLaMA-7B-shaped model (F16 written tensor by tensor, then Q4_K_M), and measure candidates/s through the engine and seconds per LoRA step on it, with peak memory (VmHWM).");
        foreach (var option in new Option[] { dir, part, make, layers, embd, ffn, heads, vocab, candidates, steps, rows, threads, keep, dataDir }) command.Options.Add(option);
        command.SetReportedAction(async (r, ct) =>
        {
            var output = r.InvocationConfiguration.Output;
            var which = r.GetValue(part)!;
            if (which is not ("all" or "make" or "engine" or "train"))
                throw new ArgumentException($"--part must be all, make, engine or train (got '{which}').");
            var how = r.GetValue(make)!;
            if (how is not ("quantize" or "direct"))
                throw new ArgumentException($"--make must be quantize or direct (got '{how}').");
            var dataRoot = SharedDataLocator.Locate(r.GetValue(dataDir));
            var builtIn = BuiltInVocabulary.Create(dataRoot);
            var shape = new LlamaHyperparameters(r.GetValue(vocab), r.GetValue(embd), r.GetValue(layers), r.GetValue(heads), r.GetValue(heads), r.GetValue(ffn)).Validated();
            if (shape.VocabSize < builtIn.Count) throw new ArgumentException($"--vocab must be at least the built-in vocabulary's {builtIn.Count}.");
            var folder = r.GetValue(dir)?.FullName ?? Path.Combine(Path.GetTempPath(), "darwin-lora7b");
            Directory.CreateDirectory(folder);
            var quantized = Path.Combine(folder, $"random-{shape.EmbeddingLength}x{shape.BlockCount}-Q4_K_M.gguf");
            output.WriteLine($"bench lora7b: {shape.ParameterCount:N0} parameters ({shape.EmbeddingLength} x {shape.BlockCount}, {shape.HeadCount} heads, FFN {shape.FeedForwardLength}, vocabulary {shape.VocabSize}); " +
                             $"{r.GetValue(threads)} threads; {Environment.ProcessorCount} cores; load average {LoadAverage()}");
            if (which is "all" or "make") Make(shape, Padded(builtIn, shape.VocabSize), folder, quantized, how, r.GetValue(threads), output);
            if (which is "all" or "engine")
            {
                Require(quantized);
                var n = r.GetValue(candidates);
                await BenchEngineCommand.RunAsync(new BenchEngineCommand.Settings(quantized, "matbench_expt_gap", "darwin", n, Math.Max(1, n / 8), n, 6,
                    r.GetValue(threads), 1, 2048, r.GetValue(dataDir)), output, ct);
                output.WriteLine($"engine peak memory (VmHWM): {Gib(PeakResidentBytes())} GiB");
            }
            if (which is "all" or "train")
            {
                Require(quantized);
                Train(quantized, dataRoot, builtIn, r.GetValue(rows), r.GetValue(steps), r.GetValue(threads), output, ct);
            }
            if (which == "all" && !r.GetValue(keep)) File.Delete(quantized);
            return 0;
        });
        return command;
    }

    private static void Make(LlamaHyperparameters shape, Vocabulary vocabulary, string folder, string quantized, string how, int threads, TextWriter output)
    {
        var clock = Stopwatch.StartNew();
        if (how == "direct")
        {
            RandomQ4KMModel.Write(quantized, shape, vocabulary, seed: 1, "darwingrid-random-7b-shape");
            output.WriteLine($"wrote Q4_K_M directly (random Q4_K/Q6_K blocks in llama.cpp's Q4_K_M mix) {quantized}: {Gib(new FileInfo(quantized).Length)} GiB in {clock.Elapsed.TotalSeconds:F0} s; peak memory (VmHWM) {Gib(PeakResidentBytes())} GiB");
            return;
        }
        var f16 = Path.Combine(folder, $"random-{shape.EmbeddingLength}x{shape.BlockCount}-F16.gguf");
        try
        {
            RandomLlamaModel.WriteStreamed(f16, shape, vocabulary, seed: 1, GgmlType.F16, "darwingrid-random-7b-shape");
            output.WriteLine($"wrote F16 {f16}: {Gib(new FileInfo(f16).Length)} GiB in {clock.Elapsed.TotalSeconds:F0} s; peak memory (VmHWM) {Gib(PeakResidentBytes())} GiB");
            clock.Restart();
            NativeApi.llama_empty_call();
            if (!LLamaQuantizer.Quantize(f16, quantized, LLamaFtype.MOSTLY_Q4_K_M, threads, allowRequantize: false, quantizeOutputTensor: true))
                throw new InvalidOperationException($"llama.cpp could not quantize {f16} to Q4_K_M.");
            output.WriteLine($"quantized to Q4_K_M {quantized}: {Gib(new FileInfo(quantized).Length)} GiB in {clock.Elapsed.TotalSeconds:F0} s; peak memory (VmHWM) {Gib(PeakResidentBytes())} GiB");
        }
        finally
        {
            File.Delete(f16);
        }
    }

    private static void Train(string quantized, string dataRoot, Vocabulary builtIn, int rows, int steps, int threads, TextWriter output, CancellationToken ct)
    {
        // The padding pieces are never produced, so the built-in tokenizer gives the model's own ids.
        var preset = TrainingPresets.Get("mini");
        var data = new TrainingDataSelection(preset).Load(dataRoot, new DarwinTokenizer(builtIn));
        var options = preset.Trainer with
        {
            BatchRows = rows, Threads = threads, ProbeThreads = false, MaxDuration = null, WarmupSteps = 1,
            Lora = new LoraOptions { Rank = 8, Alpha = 16, Targets = ["q", "v"] }.Validated(),
        };
        var clock = Stopwatch.StartNew();
        var result = TrainingBenchmark.Run(LlamaCheckpoint.Open(quantized), data.Epoch(0), options, steps, cancellationToken: ct);
        var tokensPerStep = result.Layout.Rows * result.Layout.TokensPerRow;
        output.WriteLine($"LoRA (rank 8 on q,v, Q4_K_M base frozen in its own type): {result.Layout.Rows} rows x {result.Layout.TokensPerRow} tokens (multi-task window of the mini preset), {result.Steps} steps in {result.Elapsed.TotalSeconds:F0} s " +
                         $"({clock.Elapsed.TotalSeconds:F0} s with loading); answer loss {result.FirstLoss:F3} -> {result.LastLoss:F3}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"seconds per LoRA step: median {tokensPerStep / result.MedianTokensPerSecond:F1} (padded tokens per step {tokensPerStep}; record tokens/s median {result.MedianTokensPerSecond:F1}); " +
            $"compute buffer {Gib(result.ComputeBufferBytes)} GiB; peak memory (VmHWM) {Gib(PeakResidentBytes())} GiB"));
    }

    /// <summary>The built-in pieces, then unused pieces up to <paramref name="size"/>: a LLaMA-sized embedding and head with the same tokenization.</summary>
    private static Vocabulary Padded(Vocabulary vocabulary, int size) => vocabulary with
    {
        Pieces = vocabulary.Pieces.Concat(Enumerable.Range(vocabulary.Count, size - vocabulary.Count).Select(i => new VocabularyPiece($"<unused_{i}>", -1e9f, TokenType.Unused))).ToList(),
    };

    private static void Require(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"'{path}' does not exist: run --part make first (with the same --dir and shape).", path);
    }

    /// <summary>The process's resident-memory high-water mark (VmHWM in /proc/self/status).</summary>
    private static long PeakResidentBytes()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? -1 : long.Parse(line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static string Gib(long bytes) => (bytes / 1073741824.0).ToString("F2", CultureInfo.InvariantCulture);
}

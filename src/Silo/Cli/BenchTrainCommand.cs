using System.CommandLine;
using DarwinGrid.Domain.Data;
using DarwinGrid.Domain.Prompts;
using DarwinGrid.Training.Graph;
using DarwinGrid.Training.Kernels;
using DarwinGrid.Training.Lora;
using DarwinGrid.Training.Models;
using DarwinGrid.Training.Native;
using DarwinGrid.Training.Optimization;
using DarwinGrid.Training.Runs;
using DarwinGrid.Training.Tokenization;

namespace DarwinGrid.Silo.Cli;

/// <summary><c>darwin bench train</c>: training throughput and memory of a preset's model on its real training records.</summary>
public static class BenchTrainCommand
{
    public static Command Create()
    {
        var preset = new Option<string>("--preset") { Description = "Training preset whose model, window and mixture are measured (mini, tiny).", DefaultValueFactory = _ => "mini" };
        var layers = new Option<int>("--layers") { Description = "Transformer blocks (0 = the preset's)." };
        var embd = new Option<int>("--embd") { Description = "Embedding width (0 = the preset's)." };
        var heads = new Option<int>("--heads") { Description = "Attention heads (0 = the preset's)." };
        var kvHeads = new Option<int>("--kv-heads") { Description = "KV heads (0 = the preset's, or --heads when --heads is given)." };
        var ffn = new Option<int>("--ffn") { Description = "Feed-forward width (0 = the preset's)." };
        var steps = new Option<int>("--steps") { Description = "Optimizer steps to time.", DefaultValueFactory = _ => 40 };
        var batch = new Option<int>("--batch") { Description = "Rows per batch (0 = the preset's)." };
        var window = new Option<int>("--window") { Description = "Tokens per row (0 = the preset's); longer examples are dropped." };
        var tasks = new Option<string?>("--tasks") { Description = "Comma-separated task names (default: the preset's mixture)." };
        var format = new Option<string?>("--format") { Description = "Prompt format: darwin or compact (default: the preset's)." };
        var headroom = new Option<double?>("--answer-headroom") { Description = "Answer slots as a multiple of an average batch's answers (0 = room for the longest; default: the preset's)." };
        var products = new Option<ProductKernel>("--products")
        {
            Description = "Code for the matrix products: auto (the widest C# kernel the CPU runs), csharp (AVX-512), csharp-avx2, csharp-128 (ARM AdvSimd; SSE with FMA on x86), ggml-sgemm (ggml's sgemm, out_prod rewritten), ggml (ggml's own out_prod loop); for comparison.",
            DefaultValueFactory = _ => ProductKernel.Auto,
            CustomParser = ParseProducts,
            HelpName = string.Join("|", ProductNames.Select(p => p.Name)),
        };
        var cpu = new Option<CpuBuild>("--cpu")
        {
            Description = "Play a CPU with fewer instruction sets: auto (this CPU's), avx512, avx2, avx, noavx. Loads LLamaSharp's ggml build for it and no C# kernel wider than it.",
            DefaultValueFactory = _ => CpuBuild.Auto,
            CustomParser = ParseCpu,
            HelpName = string.Join("|", CpuNames.Select(c => c.Name)),
        };
        var threads = new Option<int>("--threads") { Description = "CPU threads (0 = all cores).", DefaultValueFactory = _ => 0 };
        var loraRank = new Option<int>("--lora-rank") { Description = "Train a LoRA adapter of this rank on a frozen base instead of every weight (0 = full training)." };
        var loraTargets = new Option<string>("--lora-targets") { Description = "Comma-separated LoRA targets (q,k,v,o,gate,up,down).", DefaultValueFactory = _ => string.Join(",", LoraOptions.AllTargets) };
        var dataDir = CommonOptions.DataDir();

        var command = new Command("train", "Train a preset's model from random weights on its real mixture records (built-in vocabulary) for a few dozen steps; print tokens/s and peak memory.");
        foreach (var option in new Option[] { preset, layers, embd, heads, kvHeads, ffn, steps, batch, window, headroom, tasks, format, products, cpu, threads, loraRank, loraTargets, dataDir }) command.Options.Add(option);
        command.SetReportedAction((r, ct) =>
        {
            var console = r.InvocationConfiguration.Output;
            // Before anything loads ggml: the build is chosen once per process.
            KernelInstructionSets.Use(r.GetValue(cpu));
            var native = GgmlLibrary.Loaded;
            console.WriteLine($"native: ggml {native.Variant} build ({native.BasePath}); C# kernels up to {KernelInstructionSets.Limit}" +
                              (r.GetValue(cpu) is not CpuBuild.Auto && System.Runtime.Intrinsics.X86.Avx512F.IsSupported
                                  ? " (the JIT may still encode 256-bit vectors with AVX-512's EVEX: set DOTNET_EnableAVX512F=0 to play the narrower CPU fully)"
                                  : ""));
            var basePreset = TrainingPresets.Get(r.GetValue(preset)!);
            var chosen = basePreset with
            {
                EmbeddingLength = Pick(r.GetValue(embd), basePreset.EmbeddingLength),
                BlockCount = Pick(r.GetValue(layers), basePreset.BlockCount),
                HeadCount = Pick(r.GetValue(heads), basePreset.HeadCount),
                HeadCountKv = Pick(r.GetValue(kvHeads), r.GetValue(heads) > 0 ? r.GetValue(heads) : basePreset.HeadCountKv),
                FeedForwardLength = Pick(r.GetValue(ffn), basePreset.FeedForwardLength),
                Trainer = basePreset.Trainer with
                {
                    BatchRows = Pick(r.GetValue(batch), basePreset.Trainer.BatchRows),
                    WindowLength = Pick(r.GetValue(window), basePreset.Trainer.WindowLength),
                    Threads = r.GetValue(threads),
                    AnswerSlotHeadroom = r.GetValue(headroom) ?? basePreset.Trainer.AnswerSlotHeadroom,
                    WarmupSteps = 5,
                    Products = r.GetValue(products),
                    MaxDuration = null,
                    Lora = r.GetValue(loraRank) is > 0 and var rank
                        ? new LoraOptions { Rank = rank, Alpha = 2 * rank, Targets = r.GetValue(loraTargets)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) }.Validated()
                        : null,
                },
            };
            var dataRoot = SharedDataLocator.Locate(r.GetValue(dataDir));
            var tokenizer = new DarwinTokenizer(BuiltInVocabulary.Create(dataRoot));
            var selection = new TrainingDataSelection(chosen)
            {
                Tasks = TrainCommandOptions.ParseTasks(r.GetValue(tasks)),
                Format = r.GetValue(format) is { } f ? PromptFormats.Get(f) : null,
            };
            var data = selection.Load(dataRoot, tokenizer);
            var records = data.Epoch(0);
            var shape = chosen.Shape(tokenizer.Vocabulary.Count);
            var model = new LlamaCheckpoint(shape, [], RandomLlamaModel.CreateWeights(shape, seed: 1));

            console.WriteLine($"model: {shape.ParameterCount:N0} parameters ({shape.EmbeddingLength} x {shape.BlockCount}, {shape.HeadCount}/{shape.HeadCountKv} heads, FFN {shape.FeedForwardLength}, vocabulary {shape.VocabSize} built-in)");
            var statistics = data.FirstEpoch.Statistics.Overall;
            console.WriteLine($"data: preset {chosen.Name}, {selection.EffectiveFormat.Name} format, {data.Mixture.Partitions.Count} tasks, {records.Count} records of epoch 0 " +
                              $"({statistics.MeanTokens:F1} tokens, {statistics.MeanResponseTokens:F1} answer tokens on average; {data.FirstEpoch.Dropped.Count} longer than {chosen.MaxExampleTokens} dropped)");
            var result = TrainingBenchmark.Run(model, records, chosen.Trainer, r.GetValue(steps), cancellationToken: ct);
            var resolved = chosen.Trainer.Products.Resolve();
            console.WriteLine($"layout: {result.Layout.Records}, {result.Layout.Rows} rows x {result.Layout.TokensPerRow} tokens, {result.Layout.AnswerSlots} answer slots; threads {result.Threads}; products {ProductName(resolved)}");
            console.WriteLine($"steps: {result.Steps} in {result.Elapsed.TotalSeconds:F1} s; answer loss {result.FirstLoss:F3} -> {result.LastLoss:F3}");
            var trained = chosen.Trainer.Lora is { } lora ? $"LoRA rank {lora.Rank} on {string.Join(",", lora.Targets)}, base frozen" : "all weights";
            console.WriteLine($"training tokens/s ({trained}, fwd+bwd+AdamW): median {result.MedianTokensPerSecond:F0}, overall {result.OverallTokensPerSecond:F0}");
            console.WriteLine($"training tokens per CPU-second (steadier under load): median {result.MedianTokensPerCpuSecond:F0}");
            console.WriteLine($"compute buffer: {result.ComputeBufferBytes / 1048576.0:F1} MiB; peak working set: {result.PeakWorkingSetBytes / 1048576.0:F0} MiB");
            foreach (var line in FmaPeakReport.Lines(result, resolved, ProductNames.Single(p => p.Kernel == resolved).Name)) console.WriteLine(line);
            return Task.FromResult(0);
        });
        return command;
    }

    private static int Pick(int value, int fallback) => value > 0 ? value : fallback;

    /// <summary>The <c>--products</c> values, as parsed and as printed.</summary>
    private static readonly IReadOnlyList<(string Name, ProductKernel Kernel)> ProductNames =
        [("auto", ProductKernel.Auto), ("csharp", ProductKernel.CSharp), ("csharp-avx2", ProductKernel.CSharpAvx2), ("csharp-128", ProductKernel.CSharp128),
         ("ggml-sgemm", ProductKernel.GgmlSgemm), ("ggml", ProductKernel.Ggml)];

    private static readonly IReadOnlyList<(string Name, CpuBuild Build)> CpuNames =
        [("auto", CpuBuild.Auto), ("avx512", CpuBuild.Avx512), ("avx2", CpuBuild.Avx2), ("avx", CpuBuild.Avx), ("noavx", CpuBuild.NoAvx)];

    private static string ProductName(ProductKernel kernel) =>
        ProductNames.Single(p => p.Kernel == kernel).Name + kernel.Width() switch
        {
            KernelWidth.Vector512 => " (AVX-512 kernel)",
            KernelWidth.Vector256 => " (AVX2 kernel)",
            KernelWidth.Vector128 => System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported ? " (128-bit AdvSimd kernel)" : " (128-bit SSE/FMA kernel)",
            _ => "",
        };

    private static ProductKernel ParseProducts(System.CommandLine.Parsing.ArgumentResult result) => ParseName(result, "--products", ProductNames, ProductKernel.Auto);

    private static CpuBuild ParseCpu(System.CommandLine.Parsing.ArgumentResult result) => ParseName(result, "--cpu", CpuNames, CpuBuild.Auto);

    private static T ParseName<T>(System.CommandLine.Parsing.ArgumentResult result, string option, IReadOnlyList<(string Name, T Value)> names, T fallback)
    {
        var text = result.Tokens.Single().Value;
        var match = names.Where(p => p.Name.Equals(text, StringComparison.OrdinalIgnoreCase)).ToArray();
        if (match.Length == 0)
            result.AddError($"{option}: '{text}' is not one of {string.Join(", ", names.Select(p => p.Name))}.");
        return match.Length == 0 ? fallback : match[0].Value;
    }
}

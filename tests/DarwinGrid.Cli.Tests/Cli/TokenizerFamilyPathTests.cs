using DarwinGrid.Grains.Models;
using DarwinGrid.TestSupport;
using DarwinGrid.Training.Gguf;
using DarwinGrid.Training.Runs;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static DarwinGrid.Cli.Tests.CliRunner;

namespace DarwinGrid.Cli.Tests;

/// <summary>
/// Issue 16's "done when" path on one tokenizer family, through the real command line and a real silo
/// started in this process: <c>model new --tokenizer X</c>, <c>model quantize --type Q4_K_M</c>, a QA +
/// multi-task LoRA run on the quantized base that drops no example, <c>predict --lora</c> with its
/// adapter, <c>models add</c>, a campaign through the grains, and a LoRA run by the training grain that
/// registers its adapter on the quantized base. Smallest shapes the K-quant allows (rows of 256), two steps a stage.
/// </summary>
public sealed class TokenizerFamilyPathTests(ITestOutputHelper log) : IAsyncLifetime
{
    private EmbeddedSilo? _silo;

    private string Home => _silo!.Home;

    public async Task InitializeAsync() => _silo = await EmbeddedSilo.StartAsync("cli-family-path-");

    public async Task DisposeAsync()
    {
        if (_silo is not null) await _silo.DisposeAsync();
    }

    [Fact]
    public Task BuiltinVocabularyGoesTheWholePathOnAQ4KMBase() => WholePath("builtin");

    [Theory]
    [Trait("Category", TestCategories.Slow)]
    [InlineData("builtin")]
    [InlineData("spm")]
    [InlineData("gpt2")]
    [InlineData("llama3")]
    public Task EveryVocabularyFamilyGoesTheWholePathOnAQ4KMBase(string tokenizer) => WholePath(tokenizer);

    private string[] Grid(params string[] args) => _silo!.Grid(args);

    private async Task<string> Succeeds(string step, params string[] args)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (code, output, error) = await Run(args);
        log.WriteLine($"{step}: exit {code} in {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(code == 0, $"{step} failed: {error}\n{output}");
        return output;
    }

    private async Task WholePath(string tokenizer)
    {
        var model = Path.Combine(Home, $"{tokenizer}.gguf");
        string[] spmSize = tokenizer == "spm" ? ["--vocab-size", "4000"] : [];
        await Succeeds("model new", ["model", "new", "--tokenizer", tokenizer, "--layers", "1", "--embd", "256", "--heads", "4", "--kv-heads", "2",
            "--ffn", "256", "--context", "1024", "--data-dir", SharedData.Root, "--out", model, .. spmSize]);
        var quantized = Path.Combine(Home, $"{tokenizer}-Q4_K_M.gguf");
        await Succeeds("model quantize", "model", "quantize", "--type", "Q4_K_M", "--in", model, "--out", quantized);
        using (var file = GgufFile.Open(quantized))
            Assert.Equal(GgmlType.Q4_K, file.Tensor("blk.0.attn_q.weight").Type);

        // DARWIN's two stages as LoRA on the quantized base, trained here.
        var runDirectory = Path.Combine(Home, "run");
        var trained = await Succeeds("train --mode lora", "train", "--base", quantized, "--preset", "tiny", "--mode", "lora", "--stages", "qa,multitask",
            "--tasks", "matbench_expt_gap", "--max-steps", "2", "--threads", "1", "--fold", "0", "--out", runDirectory, "--data-dir", SharedData.Root);
        var manifest = TrainingRunManifest.ReadFrom(Directory.GetFiles(runDirectory, "*.manifest.json").Single());
        Assert.Equal(["qa", "multitask"], manifest.StageRuns.Select(s => s.Stage));
        foreach (var stage in manifest.StageRuns)
        {
            var tokens = stage.Data.Tokenization!;
            log.WriteLine($"{tokenizer} {stage.Stage}: window {stage.Trainer.WindowLength}, longest example {tokens.MaxTokens} tokens, dropped {tokens.Dropped}");
            Assert.Equal(0, tokens.Dropped);
            Assert.True(stage.ValidationRecords > 0, $"stage {stage.Stage} validated on nothing");
        }
        var adapter = Path.Combine(runDirectory, manifest.StageRuns[^1].OutputFile);
        Assert.EndsWith(".lora.gguf", adapter);
        Assert.Equal(adapter, Path.Combine(runDirectory, manifest.ModelFile));
        Assert.Contains(adapter, trained);

        // The adapter serves on the quantized base.
        var input = Path.Combine(Home, "in.csv");
        File.WriteAllLines(input, ["composition", "Fe2O3", "GaAs", "Ag2BBr"]);
        var predictions = Path.Combine(Home, "predictions.csv");
        await Succeeds("predict --lora", "predict", "--model", quantized, "--lora", adapter, "--task", "matbench_expt_gap", "--input", input,
            "--output", predictions, "--seqmax", "2");
        var rows = File.ReadAllLines(predictions);
        Assert.Equal(4, rows.Length);

        // Registered with the cluster and screened through the grains.
        var version = $"{tokenizer}-q4";
        var added = await Succeeds("models add", Grid("models", "add", "--id", version, "--model", quantized));
        Assert.Contains($"Registered model version '{version}'", added);
        var screened = await Succeeds("screen", Grid("screen", "--tasks", "band_gap,is_metal", "--input", input, "--model", version, "--quiet",
            "--data-dir", SharedData.Root));
        Assert.Contains("Completed", screened);
        Assert.Contains("3 candidates, 6/6 predictions", screened);

        // The training grain: one LoRA stage on the registered quantized base, registered as that base plus the adapter.
        var runId = $"lora-{tokenizer}";
        var grainRun = await Succeeds("train --cluster --mode lora", Grid("train", "--preset", "tiny", "--mode", "lora", "--base", version, "--stages", "multitask",
            "--tasks", "band_gap", "--max-steps", "2", "--threads", "1", "--eval-limit", "4", "--run-id", runId, "--name", tokenizer));
        Assert.Contains($"registered model version '{tokenizer}:{runId}'", grainRun);
        var registry = _silo!.Services.GetRequiredService<IGrainFactory>().GetGrain<IModelRegistryGrain>(IModelRegistryGrain.Key);
        var registered = (await registry.GetAsync($"{tokenizer}:{runId}"))!;
        Assert.Equal(version, registered.ParentVersion);
        Assert.Equal(quantized, Path.GetFullPath(Path.Combine(Home, "models", registered.BaseModelPath)));
        Assert.EndsWith(".lora.gguf", Assert.Single(registered.Adapters).Path);
        Assert.True(registered.Metrics!["matbench_expt_gap"]["n"] > 0);
    }
}

using DarwinGrid.Grains.Models;
using DarwinGrid.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using static DarwinGrid.Cli.Tests.CliRunner;

namespace DarwinGrid.Cli.Tests;

/// <summary>
/// <c>darwin train --cluster</c> and <c>darwin models list|show|set-default|remove</c> against a real
/// silo (the one <c>darwin serve</c> runs) started in this process on free ports over a temp home.
/// </summary>
public sealed class TrainClusterCommandTests : IAsyncLifetime
{
    private EmbeddedSilo? _silo;

    private string Home => _silo!.Home;

    public async Task InitializeAsync() => _silo = await EmbeddedSilo.StartAsync("cli-train-cluster-");

    public async Task DisposeAsync()
    {
        if (_silo is not null) await _silo.DisposeAsync();
    }

    private string[] Grid(params string[] args) => _silo!.Grid(args);

    [Fact]
    public async Task TrainOnTheClusterRegistersAScoredVersionThatModelsVerbsManage()
    {
        string[] train = Grid("train", "--preset", "tiny", "--tasks", "band_gap,is_metal", "--max-steps", "6", "--threads", "1",
            "--eval-limit", "16", "--run-id", "cli-run", "--default");
        var (code, output, error) = await Run(train);
        Assert.True(code == 0, error + output);
        Assert.Contains("Training run 'cli-run'", output);
        Assert.Matches(@"step \d/\d epoch 1 loss \d+\.\d+", output);
        Assert.Contains("scoring the model on the held-out fold (at most 16 records per task)", output);
        Assert.Contains("registered model version 'darwin-tiny:cli-run'", output);

        // The same command again follows the finished run instead of training another.
        (code, output, error) = await Run(train);
        Assert.True(code == 0, error + output);
        Assert.Contains("registered model version 'darwin-tiny:cli-run'", output);
        Assert.DoesNotContain("scoring", output);

        (code, output, _) = await Run(Grid("models", "list"));
        Assert.Equal(0, code);
        Assert.Contains("darwin-tiny:cli-run", output);

        (code, output, error) = await Run(Grid("models", "show", "darwin-tiny:cli-run"));
        Assert.True(code == 0, error);
        Assert.Contains("preset tiny, stages multitask, 6 steps, seed 1", output);
        Assert.Matches(@"matbench_expt_gap\s+mae\s+\d+\.\d{4}", output);
        Assert.Matches(@"matbench_is_metal\s+n\s+16", output);
        Assert.Contains("default for  matbench_expt_gap, matbench_is_metal", output);

        // Removal is refused while the version is a default, and while a campaign pins it.
        (code, _, error) = await Run(Grid("models", "remove", "darwin-tiny:cli-run"));
        Assert.Equal(1, code);
        Assert.Contains("is the default for matbench_expt_gap, matbench_is_metal", error);
        var model = Path.Combine(Home, "models", "runs", "cli-run", "darwin-tiny.gguf");
        Assert.Equal(0, (await Run(Grid("models", "add", "--id", "other", "--model", model))).ExitCode);
        (code, output, error) = await Run(Grid("models", "set-default", "other", "--tasks", "band_gap,is_metal"));
        Assert.True(code == 0, error);
        Assert.Contains("Model version 'other' is now the default for band_gap, is_metal.", output);
        var registry = _silo!.Services.GetRequiredService<IGrainFactory>().GetGrain<IModelRegistryGrain>(IModelRegistryGrain.Key);
        await registry.PinAsync("darwin-tiny:cli-run", "campaign-x");
        (code, _, error) = await Run(Grid("models", "remove", "darwin-tiny:cli-run"));
        Assert.Equal(1, code);
        Assert.Contains("is used by campaign(s) campaign-x", error);
        await registry.UnpinAsync("darwin-tiny:cli-run", "campaign-x");
        (code, output, error) = await Run(Grid("models", "remove", "darwin-tiny:cli-run"));
        Assert.True(code == 0, error);
        Assert.Contains("Removed model version 'darwin-tiny:cli-run'", output);
        Assert.True(File.Exists(model), "removing a version leaves its files");
    }

    [Fact]
    public async Task WhatTheClusterCannotDoIsSaidPlainly()
    {
        var (code, output, error) = await Run(Grid("train", "--preset", "tiny", "--mode", "lora", "--base", "no-such:version", "--run-id", "lora-run", "--max-steps", "2"));
        Assert.Equal(1, code);
        Assert.Contains("Training run 'lora-run' failed: The base 'no-such:version' is not a registered model version", error + output);

        (code, _, error) = await Run(Grid("train", "--cancel", "no-such-run"));
        Assert.Equal(1, code);
        Assert.Contains("Training run 'no-such-run' does not exist", error);

        (code, _, error) = await Run(Grid("train", "--preset", "tiny", "--fold", "2"));
        Assert.Equal(1, code);
        Assert.Contains("always hold out fold 0", error);

        (code, _, error) = await Run(Grid("models", "show", "nope"));
        Assert.Equal(2, code);
        Assert.Contains("Model version 'nope' is not registered", error);
    }
}

using System.Globalization;
using System.Security.Cryptography;
using DarwinGrid.Domain.Datasets;
using DarwinGrid.TestSupport;
using DarwinGrid.Training.Data;
using DarwinGrid.Training.Models;
using DarwinGrid.Training.Runs;
using DarwinGrid.Training.Tokenization;

namespace DarwinGrid.Training.Tests.Runs;

/// <summary>A whole run of the tiny preset: model, manifest and loss curve, and that they describe each other.</summary>
public sealed class TrainingRunTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("darwin-train-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private TrainingRunOptions Tiny(string folder, int seed = 1) => new()
    {
        Preset = TrainingPresets.Tiny,
        OutputDirectory = Path.Combine(_dir, folder),
        DataRoot = SharedData.Root,
        MaxSteps = 3,
        Seed = seed,
        Fold = new FoldSelection(0),
        Threads = 1,
    };

    [Fact]
    public void ARunWritesTheModelAManifestThatDescribesItAndTheLossCurve()
    {
        var result = TrainingRun.Execute(Tiny("a"));

        var model = LlamaCheckpoint.Load(result.ModelPath);
        Assert.Equal(TrainingPresets.Tiny.Shape(BuiltInVocabulary.Create(SharedData.Root).Count), model.Hyperparameters);
        var manifest = TrainingRunManifest.ReadFrom(result.ManifestPath);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(result.ModelPath))), manifest.ModelSha256);
        Assert.Equal("darwin-tiny.gguf", manifest.ModelFile);
        Assert.Equal(model.Hyperparameters.ParameterCount, manifest.Parameters);
        Assert.Equal(3, manifest.Outcome.Steps);
        Assert.Equal(1, manifest.Seed);
        Assert.Equal(0, manifest.Data.Fold!.Index);
        Assert.Equal(["matbench_expt_gap", "matbench_is_metal"], manifest.Data.Tasks.Select(t => t.Task));
        Assert.All(manifest.Data.Tasks, t => Assert.True(t.TestFold > 0 && t.Train > 0));
        foreach (var file in manifest.Data.Files)
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(DataFiles.Resolve(SharedData.Root, file.Path)))), file.Sha256);
        Assert.Contains(manifest.Data.Files, f => f.Path == "darwin/matbench_expt_gap/matbench_expt_gap.csv");
        Assert.Equal(model.Hyperparameters.VocabSize, manifest.Data.Tokenization!.VocabularySize);
        var epoch = Assert.Single(manifest.Epochs);
        Assert.InRange(epoch.ValidationLoss!.Value, 0.1, 20);
        Assert.Equal(manifest.Outcome.FinalValidationLoss, epoch.ValidationLoss);
        Assert.True(manifest.Outcome.TokensPerSecond > 0);
        Assert.Equal(TrainingPresets.Tiny.Trainer.LearningRate, manifest.Trainer.LearningRate);
        Assert.False(string.IsNullOrEmpty(manifest.Build.Version));
        Assert.True(manifest.SelfTest.LossAfter < manifest.SelfTest.LossBefore);

        var lines = File.ReadAllLines(result.LossCurvePath);
        Assert.Equal(LossCurve.Header, lines[0]);
        var steps = lines.Skip(1).Where(l => l.StartsWith("step,", StringComparison.Ordinal)).ToArray();
        Assert.Equal(["1", "2", "3"], steps.Select(l => l.Split(',')[2]));
        Assert.All(steps, l => Assert.True(double.Parse(l.Split(',')[4], CultureInfo.InvariantCulture) > 0));
        var epochRow = Assert.Single(lines, l => l.StartsWith("epoch,", StringComparison.Ordinal)).Split(',');
        Assert.Equal(epoch.ValidationLoss.Value, double.Parse(epochRow[6], CultureInfo.InvariantCulture), 4);
    }

    [Fact]
    public void TheSameSeedGivesTheSameModelAndAnotherSeedAnotherModel()
    {
        var first = TrainingRun.Execute(Tiny("a")).Manifest.ModelSha256;
        Assert.Equal(first, TrainingRun.Execute(Tiny("b")).Manifest.ModelSha256);
        Assert.NotEqual(first, TrainingRun.Execute(Tiny("c", seed: 2)).Manifest.ModelSha256);
    }

    [Theory]
    [InlineData("Unknown training stage 'pretrain'", "pretrain")]
    [InlineData("named twice", "qa", "qa")]
    public void UnknownOrRepeatedStagesAreRefusedBeforeAnythingIsWritten(string message, params string[] stages)
    {
        var options = Tiny("refused") with { Stages = stages };
        var error = Assert.Throws<ArgumentException>(() => TrainingRun.Execute(options));
        Assert.Contains(message, error.Message);
        Assert.False(Directory.Exists(options.OutputDirectory));
    }

    [Fact]
    public void UnknownPresetsAreNamedWithTheKnownOnes()
    {
        var error = Assert.Throws<ArgumentException>(() => TrainingPresets.Get("huge"));
        Assert.Contains("'huge'", error.Message);
        Assert.Contains("mini", error.Message);
    }
}

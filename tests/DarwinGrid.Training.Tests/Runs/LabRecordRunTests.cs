using DarwinGrid.TestSupport;
using DarwinGrid.Training.Data;
using DarwinGrid.Training.Lora;
using DarwinGrid.Training.Runs;
using DarwinGrid.Domain.Training;

namespace DarwinGrid.Training.Tests.Runs;

/// <summary>A LoRA run that learns from a lab's measured values (with a replay of the mixture), as the loop's update does.</summary>
public sealed class LabRecordRunTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("darwin-lab-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private TrainingRunOptions Lora(string folder) => new()
    {
        Preset = TrainingPresets.Tiny,
        OutputDirectory = Path.Combine(_dir, folder),
        DataRoot = SharedData.Root,
        Mode = TrainingMode.Lora,
        Lora = new LoraOptions { Rank = 4, Alpha = 8 },
        MaxSteps = 2,
        Fold = new FoldSelection(0),
        Threads = 1,
    };

    [Fact]
    public void ALoraRunWithLabRecordsTrainsOnThemAndItsReplayAndRecordsThemInItsManifest()
    {
        LabRecord[] measured = [new("matbench_expt_gap", "ZnO", 3.3), new("matbench_expt_gap", "GaAs", 1.42), new("matbench_expt_gap", "Si", 1.12)];
        var withLab = TrainingRun.Execute(Lora("lab") with { LabRecords = measured, LabReplayShare = 0.25 }).Manifest;

        Assert.Equal(3, withLab.Data.LabRecords);
        Assert.Equal(0.25, withLab.Data.LabReplayShare);
        Assert.Equal(4, withLab.Data.ExamplesPerEpoch);
        Assert.Equal(4, withLab.Data.Tokenization!.Statistics.Overall.Examples);
        Assert.Equal(withLab.Data.Tasks.Sum(t => t.Validation), withLab.ValidationRecords);
        Assert.Equal("darwin-tiny.gguf", withLab.ModelFile);
    }

    [Fact]
    public void LabRecordsWithoutAMultitaskStageAreRefusedBeforeAnythingIsWritten()
    {
        var options = Lora("qa-only") with { Stages = [TrainingStages.Qa], LabRecords = [new("matbench_expt_gap", "ZnO", 3.3)] };
        var error = Assert.Throws<ArgumentException>(() => TrainingRun.Execute(options));
        Assert.Contains("multitask", error.Message);
        Assert.False(Directory.Exists(options.OutputDirectory));
    }
}

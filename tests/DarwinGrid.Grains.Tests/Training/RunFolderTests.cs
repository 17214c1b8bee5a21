using DarwinGrid.Grains.Training;

namespace DarwinGrid.Grains.Tests.Training;

public sealed class RunFolderTests : IDisposable
{
    private readonly string _store = Directory.CreateTempSubdirectory("darwingrid-runfolder-").FullName;

    public void Dispose() => Directory.Delete(_store, recursive: true);

    private static string Write(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void PublishingMovesTheAttemptsFilesIntoTheRunFolderAndNamesThemRelativeToTheStore()
    {
        var folder = new RunFolder(_store, "run-7");
        var model = Write(Path.Combine(folder.Work, "model.gguf"), "model");
        var manifest = Write(Path.Combine(folder.Work, "manifest.json"), "{\"preset\":\"mini\"}");
        var curve = Write(Path.Combine(folder.Work, "loss.csv"), "step,loss");

        var published = folder.Publish(new TrainingJobResult(model, null, "darwin", ["bandgap"], manifest, [curve]));

        Assert.Equal(new PublishedRun(Path.Combine("runs", "run-7", "model.gguf"), null, Path.Combine("runs", "run-7", "manifest.json")), published);
        Assert.Equal("model", File.ReadAllText(folder.InStore(published.ModelFile)));
        Assert.Equal("{\"preset\":\"mini\"}", File.ReadAllText(folder.InStore(published.ManifestFile)));
        Assert.True(File.Exists(Path.Combine(_store, "runs", "run-7", "loss.csv")));
        Assert.False(Directory.Exists(folder.Work));
    }

    [Fact]
    public void ALoraRunPublishesItsAdapterAndLeavesItsBaseWhereItIs()
    {
        var folder = new RunFolder(_store, "lora-1");
        var baseModel = Write(Path.Combine(_store, "runs", "parent", "model.gguf"), "base");
        var adapter = Write(Path.Combine(folder.Work, "adapter.gguf"), "adapter");
        var manifest = Write(Path.Combine(folder.Work, "manifest.json"), "{}");

        var published = folder.Publish(new TrainingJobResult(baseModel, adapter, "darwin", ["bandgap"], manifest, []));

        Assert.Equal(Path.Combine("runs", "parent", "model.gguf"), published.ModelFile);
        Assert.Equal(Path.Combine("runs", "lora-1", "adapter.gguf"), published.AdapterFile);
        Assert.True(File.Exists(baseModel));
        Assert.Equal("adapter", File.ReadAllText(folder.InStore(published.AdapterFile!)));
    }

    [Fact]
    public void ALostAttemptsCheckpointIsFoundUntilTheWorkFolderIsCleared()
    {
        var folder = new RunFolder(_store, "run-8");
        Assert.Null(folder.Checkpoint());
        var checkpoint = Write(Path.Combine(folder.Work, "step-40.checkpoint"), "state");
        Assert.Equal(checkpoint, folder.Checkpoint());
        folder.ClearWork();
        Assert.Null(folder.Checkpoint());
        Assert.False(Directory.Exists(folder.Work));
    }

    [Fact]
    public void AVersionTrainedFromARegisteredVersionNamesItsParentAndAFileBaseDoesNot()
    {
        var spec = new TrainingJobSpec("mini", BaseModel: "darwin-mini:1", Stages: ["finetune"], Name: "lab"); // as TrainingSpecs.Normalize leaves it
        var version = TrainedVersion.Of(spec, "run-9", new PublishedRun("runs/run-9/model.gguf", "runs/run-9/adapter.gguf", "runs/run-9/manifest.json"),
            "darwin", ["bandgap"], "{}");
        Assert.Equal("lab:run-9", version.Id);
        Assert.Equal("darwin-mini:1", version.ParentVersion);
        Assert.Equal("runs/run-9/adapter.gguf", Assert.Single(version.Adapters).Path);
        Assert.Equal("bandgap", Assert.Single(version.Tasks));
        Assert.Equal("Trained by run run-9 (preset mini, finetune, Full).", version.Description);
        Assert.Null(TrainedVersion.Parent(spec with { BaseModel = "models/base.GGUF" }));
        Assert.Null(TrainedVersion.Parent(spec with { BaseModel = TrainingJobSpec.NewModel }));
    }
}

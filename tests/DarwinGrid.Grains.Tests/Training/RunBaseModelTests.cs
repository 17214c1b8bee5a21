using DarwinGrid.Grains.Models;
using DarwinGrid.Grains.Training;

namespace DarwinGrid.Grains.Tests.Training;

public sealed class RunBaseModelTests
{
    private static readonly RunFolder Folder = new(Path.Combine(Path.GetTempPath(), "store"), "run-1");

    private static Task<ModelVersionInfo?> Registry(string id) => Task.FromResult(id switch
    {
        "mini:1" => new ModelVersionInfo("mini:1", "runs/1/model.gguf", [], "darwin", ["bandgap"], DateTimeOffset.UnixEpoch),
        "lab:2" => new ModelVersionInfo("lab:2", "runs/1/model.gguf", [new AdapterReference("runs/2/a.gguf"), new AdapterReference("runs/3/b.gguf")], "darwin", ["bandgap"], DateTimeOffset.UnixEpoch),
        _ => (ModelVersionInfo?)null,
    });

    [Fact]
    public async Task ARegisteredVersionBecomesItsFileInTheStoreAndAFileBaseIsFoundThere()
    {
        var spec = new TrainingJobSpec("mini", BaseModel: "mini:1");
        Assert.Equal(Path.Combine(Folder.Store, "runs/1/model.gguf"), (await RunBaseModel.ResolveAsync(spec, Folder, Registry)).BaseModel);
        Assert.Equal(Path.Combine(Folder.Store, "base.gguf"), (await RunBaseModel.ResolveAsync(spec with { BaseModel = "base.gguf" }, Folder, Registry)).BaseModel);
        Assert.Equal(TrainingJobSpec.NewModel, (await RunBaseModel.ResolveAsync(spec with { BaseModel = TrainingJobSpec.NewModel }, Folder, Registry)).BaseModel);
    }

    [Fact]
    public async Task AnUnknownBaseOrOneWithTwoAdaptersIsRefusedByName()
    {
        var spec = new TrainingJobSpec("mini", BaseModel: "nope:9");
        var unknown = await Assert.ThrowsAsync<ArgumentException>(() => RunBaseModel.ResolveAsync(spec, Folder, Registry));
        Assert.Contains("'nope:9' is not a registered model version", unknown.Message);
        var two = await Assert.ThrowsAsync<ArgumentException>(() => RunBaseModel.ResolveAsync(spec with { BaseModel = "lab:2" }, Folder, Registry));
        Assert.Contains("plus 2 LoRA adapters", two.Message);
    }
}

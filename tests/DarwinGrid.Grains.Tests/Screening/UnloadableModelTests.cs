using DarwinGrid.Grains.Campaigns;
using DarwinGrid.Grains.Models;
using DarwinGrid.Grains.Tests.Storage;
using DarwinGrid.TestSupport;
using DarwinGrid.Training.Gguf;
using DarwinGrid.Training.Models;
using DarwinGrid.Training.Tokenization;

namespace DarwinGrid.Grains.Tests.Screening;

/// <summary>
/// A model llama.cpp cannot load fails the campaign's task with the reason at once (no retries for
/// the two-minute retry window, no "Completed" with every prediction failed); another architecture
/// is refused where it enters the registry.
/// </summary>
[Collection(ScreeningCollection.Name)]
public sealed class UnloadableModelTests(TinyModel model) : IAsyncLifetime
{
    private readonly TempDatabase _database = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("grains-broken-").FullName;
    private ScreeningCluster _screening = null!;

    public async Task InitializeAsync() => _screening = await ScreeningCluster.StartAsync(_database.FilePath, model.Path);

    public async Task DisposeAsync()
    {
        await _screening.DisposeAsync();
        _database.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>A LLaMA GGUF with one tensor missing (llama.cpp: "wrong number of tensors"), or labelled as another architecture.</summary>
    private string Write(string name, string architecture, bool dropOutputNorm)
    {
        var vocabulary = BuiltInVocabulary.Create(SharedData.Root);
        var shape = new LlamaHyperparameters(vocabulary.Count, 32, 1, 4, 4, 64);
        var writer = new GgufWriter();
        foreach (var (key, value) in LlamaGguf.Metadata(shape, vocabulary, name))
            writer.Set(key, key == "general.architecture" ? GgufValue.Of(architecture) : value);
        var weights = RandomLlamaModel.CreateWeights(shape, seed: 1);
        foreach (var spec in LlamaTensorLayout.Enumerate(shape).Where(s => !(dropOutputNorm && s.Name == LlamaTensorLayout.OutputNorm)))
            writer.AddTensor(spec.Name, spec.Dimensions, weights[spec.Name]);
        var path = Path.Combine(_dir, name + ".gguf");
        writer.WriteTo(path);
        return path;
    }

    [Fact]
    public async Task CampaignOnAModelLlamaCppCannotLoadFailsItsTaskWithTheReasonWithoutRetrying()
    {
        var broken = Write("missing-tensor", "llama", dropOutputNorm: true);
        await _screening.Registry.RegisterAsync(new ModelVersionInfo("broken", broken, [], "darwin", [], DateTimeOffset.UtcNow));
        var campaign = _screening.Campaign("broken");
        await campaign.CreateAsync(ScreeningCluster.Definition("broken", CandidateSet.Create(120, seed: 4)) with { ModelVersion = "broken" });
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await campaign.StartAsync();

        var finished = await _screening.WaitFinishedAsync("broken", TimeSpan.FromSeconds(60));

        Assert.Equal(CampaignState.Failed, finished.State);
        Assert.Contains("matbench_expt_gap", finished.Error);
        Assert.Contains("cannot be loaded", finished.Error);
        Assert.Contains(broken, finished.Error);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}");
        Assert.Equal(0, finished.Done); // nothing was predicted, nothing recorded as a failed prediction
    }

    [Fact]
    public async Task RegistryRefusesAnotherArchitectureNamingIt()
    {
        var qwen = Write("qwen", "qwen2", dropOutputNorm: false);
        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            _screening.Registry.RegisterAsync(new ModelVersionInfo("qwen", qwen, [], "darwin", [], DateTimeOffset.UtcNow)));
        Assert.Contains("'qwen2'", error.Message);
        Assert.Null(await _screening.Registry.GetAsync("qwen"));
    }
}

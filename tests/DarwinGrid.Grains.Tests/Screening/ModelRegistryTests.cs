using DarwinGrid.Grains.Models;
using DarwinGrid.Grains.Tests.Storage;

namespace DarwinGrid.Grains.Tests.Screening;

/// <summary>Model versions, defaults and pins in the registry; model grains placed on the silo their key names.</summary>
[Collection(ScreeningCollection.Name)]
public sealed class ModelRegistryTests(TinyModel model) : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task RegistryServesEveryLiveSiloAndModelGrainsRunWhereTheirKeySays()
    {
        await using var screening = await ScreeningCluster.StartAsync(_database.FilePath, model.Path, silos: 2);
        var registry = screening.Registry;

        var keys = await registry.GetServingKeysAsync(ScreeningCluster.Version);
        Assert.Equal(screening.Cluster.Silos.Select(s => $"{ScreeningCluster.Version}@{s.Name}/cpu0").Order(), keys.Order());
        foreach (var key in keys)
        {
            var grain = screening.Client.GetGrain<IModelGrain>(key);
            var predictions = await grain.PredictAsync(new PredictionBatch("band_gap", ["NaCl", "GaAs", "not a formula"]));
            Assert.Equal(3, predictions.Length);
            Assert.All(predictions.Take(2), p => Assert.Null(p.Error));
            Assert.NotNull(predictions[2].Error);
            Assert.All(predictions, p => Assert.Equal(ScreeningCluster.Version, p.ModelVersion));
            var load = await grain.GetLoadAsync();
            Assert.True(load.Loaded);
            Assert.Equal(3, load.Predictions);
            Assert.True(screening.Cluster.TryGetGrainContext(grain.GetGrainId(), out var context));
            var silo = screening.Cluster.Silos.Single(s => s.SiloAddress.Equals(context.Address.SiloAddress));
            Assert.Equal(ModelGrainKey.Parse(key).Silo, silo.Name);
        }
        // Both engines answer alike: the same model gives the same greedy answer on every silo.
        var answers = await Task.WhenAll(keys.Select(k => screening.Client.GetGrain<IModelGrain>(k).PredictAsync(new PredictionBatch("band_gap", ["CsPbI3"]))));
        Assert.Single(answers.Select(a => a[0].Value).Distinct());

        // A new version at run time; defaults per task; pins block removal.
        await registry.RegisterAsync(new ModelVersionInfo("tiny-v2", model.Path, [], "compact", ["band_gap"], DateTimeOffset.UtcNow, ParentVersion: ScreeningCluster.Version));
        await registry.SetDefaultAsync("band_gap", "tiny-v2");
        Assert.Equal("tiny-v2", await registry.GetDefaultAsync("matbench_expt_gap"));
        Assert.Equal(ScreeningCluster.Version, await registry.GetDefaultAsync("is_metal"));
        await Assert.ThrowsAsync<ArgumentException>(() => registry.SetDefaultAsync("is_metal", "tiny-v2"));
        await Assert.ThrowsAsync<ArgumentException>(() => registry.RegisterAsync(new ModelVersionInfo("tiny-v2", "/elsewhere.gguf", [], "darwin", [], DateTimeOffset.UtcNow)));
        await Assert.ThrowsAsync<ArgumentException>(() => registry.RegisterAsync(new ModelVersionInfo("a@b", model.Path, [], "darwin", [], DateTimeOffset.UtcNow)));
        await registry.PinAsync("tiny-v2", "campaign-x");
        await registry.SetDefaultAsync("band_gap", ScreeningCluster.Version);
        var pinned = await Assert.ThrowsAsync<InvalidOperationException>(() => registry.RemoveAsync("tiny-v2"));
        Assert.Contains("campaign-x", pinned.Message);
        await registry.UnpinAsync("tiny-v2", "campaign-x");
        await registry.RemoveAsync("tiny-v2");
        Assert.Equal([ScreeningCluster.Version], (await registry.ListAsync()).Select(v => v.Id));

        // A killed silo's device stops being served.
        var secondary = screening.Cluster.Silos.Single(s => s.Name != screening.Cluster.Silos[0].Name);
        await screening.Cluster.KillSiloAsync(secondary);
        await Eventually.TrueAsync(async () => (await registry.GetServingKeysAsync(ScreeningCluster.Version)).Length == 1,
            TimeSpan.FromSeconds(30), "the dead silo's device to drop out");
    }
}

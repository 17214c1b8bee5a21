using System.Security.Cryptography;
using DarwinGrid.TestSupport;
using DarwinGrid.Training.Data;

namespace DarwinGrid.Training.Tests.Data;

[Collection(DataCollection.Name)]
public sealed class DatasetManifestTests(DataFixture fixture)
{
    [Fact]
    public void TheMultitaskManifestNamesEveryFileByHashAndEveryTaskByRows()
    {
        var mixture = fixture.Fold0;
        var manifest = DatasetManifest.For(mixture);

        Assert.Equal("multitask", manifest.Stage);
        Assert.Equal("darwin", manifest.Format);
        Assert.Equal(new ManifestFold(0, 5, 18012019), manifest.Fold);
        Assert.Contains(manifest.Files, f => f.Path == "darwin/matbench_expt_gap/matbench_expt_gap.csv");
        Assert.Contains(manifest.Files, f => f.Path == "darwin/matbench_is_metal/matbench_is_metal.json"); // distractor nouns
        Assert.All(manifest.Files, f =>
        {
            var bytes = File.ReadAllBytes(Path.Combine([SharedData.Root, .. f.Path.Split('/')]));
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), f.Sha256);
            Assert.Equal(bytes.Length, f.Bytes);
        });
        Assert.All(manifest.Tasks, t => Assert.Equal(t.Loaded, t.TestFold + t.LeakExcluded + t.Validation + t.Train));
        Assert.Equal(mixture.Epoch(0).Count, manifest.Tasks.Sum(t => t.ExamplesPerEpoch));
        Assert.Equal(1.0, manifest.Tasks.Sum(t => t.Proportion), 9);
    }

    [Fact]
    public void ItRoundTripsThroughJsonWithTheTokenization()
    {
        var mixture = MultiTaskMixture.Load(SharedData.Root, new MultiTaskOptions { Tasks = ["matbench_steels"], Seed = 3 });
        var options = new TokenizationOptions { MaxTokens = 256 };
        var tokens = new ExampleTokenizer(fixture.Tokenizer, options).TokenizeAll(mixture.Epoch(0));
        var manifest = DatasetManifest.For(mixture).WithTokenization(fixture.Tokenizer.Vocabulary, options, tokens);

        var path = Path.Combine(Path.GetTempPath(), $"manifest-{Guid.NewGuid():N}.json");
        try
        {
            manifest.WriteTo(path);
            var read = DatasetManifest.ReadFrom(path);
            Assert.Equal(manifest.ToJson(), read.ToJson());
            Assert.Equal(3, read.Seed);
            Assert.Equal(fixture.Tokenizer.Vocabulary.Count, read.Tokenization!.VocabularySize);
            Assert.Equal(tokens.Statistics.Overall.Examples, read.Tokenization.Statistics.Overall.Examples);
            Assert.Contains("\"sha256\"", File.ReadAllText(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void TheQaManifestCountsThePairs()
    {
        var qa = QaDataset.Load(SharedData.Root);
        var manifest = DatasetManifest.For(qa);
        Assert.Equal("qa", manifest.Stage);
        Assert.Equal("sciqag/sciqag_test_qas_8531.json", Assert.Single(manifest.Files).Path);
        var rows = Assert.Single(manifest.Tasks);
        Assert.Equal(qa.Train.Count, rows.Train);
        Assert.Equal(qa.Validation.Count, rows.Validation);
    }

    [Fact]
    public void AFileThatIsNotAManifestIsReported()
    {
        var path = Path.Combine(Path.GetTempPath(), $"manifest-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, "{ not json");
        try
        {
            var error = Assert.Throws<InvalidDataException>(() => DatasetManifest.ReadFrom(path));
            Assert.Contains(path, error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}

using DarwinGrid.TestSupport;
using DarwinGrid.Training.Models;
using DarwinGrid.Training.Tokenization;

namespace DarwinGrid.Grains.Tests.Screening;

/// <summary>
/// A random 32-wide, 2-layer LLaMA with the built-in chemistry vocabulary, written once for the
/// screening tests. Its answers are nonsense but deterministic (greedy), which is all the grain
/// path needs: the same composition always gets the same prediction.
/// </summary>
public sealed class TinyModel : IDisposable
{
    public TinyModel()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("grains-model-").FullName;
        var vocabulary = BuiltInVocabulary.Create(SharedData.Root);
        var shape = new LlamaHyperparameters(vocabulary.Count, EmbeddingLength: 32, BlockCount: 2, HeadCount: 4, HeadCountKv: 2, FeedForwardLength: 64);
        Path = System.IO.Path.Combine(Directory, "tiny-32x2.gguf");
        RandomLlamaModel.Write(Path, shape, vocabulary, seed: 5, std: 0.2f);
    }

    public string Directory { get; }

    public string Path { get; }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}

[CollectionDefinition(Name)]
public sealed class ScreeningCollection : ICollectionFixture<TinyModel>
{
    public const string Name = "screening";
}

using DarwinGrid.TestSupport;
using DarwinGrid.Training.Models;
using DarwinGrid.Training.Tokenization;

namespace DarwinGrid.Web.UiTests.Support;

/// <summary>
/// A random 32-wide, 2-layer LLaMA with the built-in chemistry vocabulary (as the grain tests use):
/// nonsense answers, but deterministic and fast, which is all the dashboard needs to show real results.
/// </summary>
public static class TinyModelFile
{
    public static void Write(string path, int seed = 5)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var vocabulary = BuiltInVocabulary.Create(SharedData.Root);
        var shape = new LlamaHyperparameters(vocabulary.Count, EmbeddingLength: 32, BlockCount: 2, HeadCount: 4, HeadCountKv: 2, FeedForwardLength: 64);
        RandomLlamaModel.Write(path, shape, vocabulary, seed, std: 0.2f);
    }
}

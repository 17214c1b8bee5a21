using DarwinGrid.Training.Models;
using DarwinGrid.Training.Tokenization;

namespace DarwinGrid.Silo.Cli;

/// <summary>A random 128 x 4 LLaMA (~1M parameters) with the built-in vocabulary, for benchmarks without a trained model.</summary>
public static class RandomBenchModel
{
    public static LlamaHyperparameters Shape(int vocabularySize) =>
        new(vocabularySize, EmbeddingLength: 128, BlockCount: 4, HeadCount: 4, HeadCountKv: 4, FeedForwardLength: 384);

    public static string Write(string directory, string dataRoot, int seed = 1)
    {
        var vocabulary = BuiltInVocabulary.Create(dataRoot);
        var path = Path.Combine(directory, "random-128x4.gguf");
        RandomLlamaModel.Write(path, Shape(vocabulary.Count), vocabulary, seed);
        return path;
    }
}

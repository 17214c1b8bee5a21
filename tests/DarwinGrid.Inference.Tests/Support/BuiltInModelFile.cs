using DarwinGrid.Inference.Engine;
using DarwinGrid.TestSupport;
using DarwinGrid.Training.Models;
using DarwinGrid.Training.Tokenization;

namespace DarwinGrid.Inference.Tests.Support;

/// <summary>A random tiny LLaMA with the built-in chemistry vocabulary, as our real models have.</summary>
public sealed class BuiltInModelFile : IDisposable
{
    public BuiltInModelFile()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("predictor-tests-").FullName;
        var vocabulary = BuiltInVocabulary.Create(SharedData.Root);
        Shape = new LlamaHyperparameters(vocabulary.Count, EmbeddingLength: 64, BlockCount: 2, HeadCount: 4, HeadCountKv: 2, FeedForwardLength: 128);
        Path = System.IO.Path.Combine(Directory, "tiny-builtin.gguf");
        RandomLlamaModel.Write(Path, Shape, vocabulary, seed: 11, std: 0.2f);
    }

    public string Directory { get; }

    public string Path { get; }

    public LlamaHyperparameters Shape { get; }

    public EngineOptions ExactOptions(int seqMax = 8) => new()
    {
        ModelPath = Path,
        ContextSize = 4096,
        SeqMax = seqMax,
        BatchSize = 512,
        Threads = 2,
        QueueCapacity = 64,
        FlashAttention = false,
        F32KvCache = true,
    };

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}

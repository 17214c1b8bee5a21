using DarwinGrid.Inference.Engine;
using DarwinGrid.Training.Models;

namespace DarwinGrid.Inference.Tests.Support;

/// <summary>
/// A random tiny LLaMA written to a temp folder for one test class. The weights are spread wider
/// than at initialisation (std 0.2) so greedy choices are separated by more than float noise.
/// </summary>
public sealed class TinyModelFile : IDisposable
{
    public TinyModelFile()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("engine-tests-").FullName;
        var vocabulary = TinyVocabulary.Create();
        Shape = new LlamaHyperparameters(vocabulary.Count, EmbeddingLength: 64, BlockCount: 2, HeadCount: 4, HeadCountKv: 2, FeedForwardLength: 128);
        Path = System.IO.Path.Combine(Directory, "tiny.gguf");
        RandomLlamaModel.Write(Path, Shape, vocabulary, seed: 7, std: 0.2f);
    }

    public string Directory { get; }

    public string Path { get; }

    public LlamaHyperparameters Shape { get; }

    public EngineOptions Options(int seqMax = 8, Action<EngineOptions>? configure = null)
    {
        var options = new EngineOptions
        {
            ModelPath = Path,
            ContextSize = 4096,
            SeqMax = seqMax,
            BatchSize = 512,
            Threads = 2,
            QueueCapacity = 64,
        };
        configure?.Invoke(options);
        return options;
    }

    /// <summary>
    /// Flash attention off and an F32 KV cache: llama.cpp's defaults add logit noise that grows
    /// with these wide random weights; without it batched and plain decoding agree to ~1e-6.
    /// </summary>
    public EngineOptions ExactOptions(int seqMax = 8) => Options(seqMax, o =>
    {
        o.FlashAttention = false;
        o.F32KvCache = true;
    });

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}

using DarwinGrid.Inference.Engine;
using DarwinGrid.Training.Models;
using DarwinGrid.Training.Tokenization;

namespace DarwinGrid.Inference.Tests.Support;

/// <summary>
/// A random tiny LLaMA whose vocabulary holds only six number tokens (" ", "0", "1", ".", and the
/// multi-character " 1" and "10") and no byte fallback for digits, so every number a capped
/// search can produce is few enough to enumerate by brute force.
/// </summary>
public sealed class NumericVocabularyModelFile : IDisposable
{
    public const string Prompt = "Q: X ->";

    public NumericVocabularyModelFile()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("numeric-vocab-").FullName;
        var pieces = new List<VocabularyPiece>
        {
            new("<unk>", 0, TokenType.Unknown),
            new("<s>", 0, TokenType.Control),
            new("</s>", 0, TokenType.Control),
            new("<0x0A>", 0, TokenType.Byte),
        };
        string[] normal = ["▁", "Q", ":", "X", "▁X", "->", "▁->", "0", "1", ".", "▁1", "10"];
        for (var i = 0; i < normal.Length; i++) pieces.Add(new(normal[i], -i - 1, TokenType.Normal));
        var vocabulary = new Vocabulary(pieces, BosId: 1, EosId: 2, UnknownId: 0);
        var shape = new LlamaHyperparameters(vocabulary.Count, EmbeddingLength: 32, BlockCount: 1, HeadCount: 2, HeadCountKv: 2, FeedForwardLength: 64);
        Path = System.IO.Path.Combine(Directory, "numeric.gguf");
        // std 0.5: answers spread over many numbers, so the enumeration has something to compare.
        RandomLlamaModel.Write(Path, shape, vocabulary, seed: 3, std: 0.5f);
    }

    public string Directory { get; }

    public string Path { get; }

    /// <summary>Flash attention off and an F32 KV cache, so batched and plain logits agree to ~1e-6.</summary>
    public EngineOptions Options(int seqMax) => new()
    {
        ModelPath = Path, ContextSize = 2048, SeqMax = seqMax, BatchSize = 512, Threads = 2, QueueCapacity = 64,
        FlashAttention = false, F32KvCache = true,
    };

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}

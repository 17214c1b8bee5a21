using DarwinGrid.TestSupport;
using DarwinGrid.Training.Models;
using DarwinGrid.Training.Tokenization;
using LLama;
using LLama.Common;

namespace DarwinGrid.Training.Tests.Tokenization;

/// <summary>
/// The shared corpus, the built-in vocabulary, both tokenizers over it (managed, and llama.cpp
/// reading a tiny random model that carries the vocabulary): built once for all tests that need them.
/// </summary>
public sealed class BuiltInVocabularyFixture : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vocab-").FullName;

    public BuiltInVocabularyFixture()
    {
        Corpus = SharedCorpus.Load(SharedData.Root);
        Vocabulary = BuiltInVocabulary.Create(Corpus);
        Tokenizer = new DarwinTokenizer(Vocabulary);
        ModelPath = Path.Combine(_dir, "vocab.gguf");
        RandomLlamaModel.Write(ModelPath, TinyShape(Vocabulary.Count), Vocabulary, seed: 1);
        LlamaCpp = LLamaWeights.LoadFromFile(new ModelParams(ModelPath) { VocabOnly = true, GpuLayerCount = 0 });
    }

    public SharedCorpus Corpus { get; }

    public Vocabulary Vocabulary { get; }

    public DarwinTokenizer Tokenizer { get; }

    public string ModelPath { get; }

    public LLamaWeights LlamaCpp { get; }

    public static LlamaHyperparameters TinyShape(int vocabSize) => new(vocabSize, EmbeddingLength: 16, BlockCount: 1, HeadCount: 2, HeadCountKv: 2, FeedForwardLength: 32);

    public int[] LlamaCppEncode(string text) =>
        LlamaCpp.Tokenize(text, add_bos: true, special: false, System.Text.Encoding.UTF8).Select(t => (int)t).ToArray();

    public void Dispose()
    {
        LlamaCpp.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class BuiltInVocabularyCollection : ICollectionFixture<BuiltInVocabularyFixture>
{
    public const string Name = "Built-in vocabulary";
}

using DarwinGrid.TestSupport;
using DarwinGrid.Training.Models;
using DarwinGrid.Training.Tokenization;

namespace DarwinGrid.Inference.Tests.Support;

/// <summary>
/// One tiny random LLaMA per vocabulary family (<c>darwin model new --tokenizer</c>'s vocabularies),
/// written once for a test class: spm (8,000 pieces learnt from the shared corpus), gpt2, llama3.
/// </summary>
public sealed class VocabularyModelFiles : IDisposable
{
    private readonly Dictionary<VocabularyKind, (string Path, Vocabulary Vocabulary)> _models = [];

    public VocabularyModelFiles()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("vocabulary-models-").FullName;
        foreach (var kind in new[] { VocabularyKind.Spm, VocabularyKind.Gpt2, VocabularyKind.Llama3 })
        {
            var vocabulary = VocabularyKinds.Create(kind, SharedData.Root, sentencePieceSize: 8000);
            var path = System.IO.Path.Combine(Directory, kind.ToString().ToLowerInvariant() + ".gguf");
            RandomLlamaModel.Write(path, new LlamaHyperparameters(vocabulary.Count, 32, 1, 2, 2, 64, ContextLength: 1024), vocabulary, seed: 3);
            _models[kind] = (path, vocabulary);
        }
    }

    public string Directory { get; }

    public string Path(VocabularyKind kind) => _models[kind].Path;

    public Vocabulary Vocabulary(VocabularyKind kind) => _models[kind].Vocabulary;

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}

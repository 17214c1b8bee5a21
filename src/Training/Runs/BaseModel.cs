using System.Security.Cryptography;
using DarwinGrid.Training.Gguf;
using DarwinGrid.Training.Models;
using DarwinGrid.Training.Tokenization;

namespace DarwinGrid.Training.Runs;

/// <summary>
/// The model the first stage starts from, with the tokenizer its training data is encoded with:
/// always the model's own vocabulary as llama.cpp encodes it (<see cref="Native"/>), so training
/// sees the token ids inference will use.
/// </summary>
/// <param name="Tokenizer">What the data is encoded with: <see cref="Native"/> itself, or the managed tokenizer behind the parity gate.</param>
/// <param name="Sha256">The base file's SHA-256 (null for a new model).</param>
public sealed record BaseModel(LlamaCheckpoint Checkpoint, Vocabulary Vocabulary, ITextTokenizer Tokenizer, LlamaCppTokenizer Native, string? Sha256) : IDisposable
{
    /// <summary>
    /// A new model: random weights of the preset's shape, the built-in vocabulary, encoded by the
    /// managed tokenizer and checked text by text against llama.cpp (<see cref="ParityCheckedTokenizer"/>).
    /// A GGUF file: its weights and its own vocabulary, SentencePiece or byte-level BPE, encoded by
    /// llama.cpp. Models llama.cpp or the trainer cannot use are refused with the reason.
    /// </summary>
    public static BaseModel Load(TrainingBase source, TrainingPreset preset, string modelName, string dataRoot, int seed)
    {
        if (source.File is not { } path)
        {
            var vocabulary = BuiltInVocabulary.Create(dataRoot);
            var shape = preset.Shape(vocabulary.Count);
            var metadata = LlamaGguf.Metadata(shape, vocabulary, modelName)
                .Append(new("general.description", GgufValue.Of(preset.Description))).ToList();
            var weights = RandomLlamaModel.CreateWeights(shape, seed);
            if (preset.ElementEmbeddings == ElementEmbeddingInit.Magpie)
                MagpieElementEmbeddings.Write(weights[LlamaTensorLayout.TokenEmbedding], shape.EmbeddingLength, vocabulary, dataRoot, seed);
            var native = VocabularyOnlyTokenizer(metadata, vocabulary);
            return new BaseModel(new LlamaCheckpoint(shape, metadata, weights), vocabulary,
                new ParityCheckedTokenizer(new DarwinTokenizer(vocabulary), native), native, null);
        }

        Vocabulary own;
        try
        {
            using var file = GgufFile.Open(path);
            LlamaGguf.ReadHyperparameters(file);
            own = LlamaGguf.ReadVocabulary(file);
        }
        catch (Exception e) when (e is GgufFormatException or KeyNotFoundException or InvalidCastException)
        {
            throw new ArgumentException($"--base '{path}': {e.Message}", e);
        }
        LlamaCheckpoint checkpoint;
        try
        {
            checkpoint = LlamaCheckpoint.Open(path);
        }
        catch (GgufFormatException e)
        {
            throw new ArgumentException($"--base '{path}': {e.Message}", e);
        }
        if (own.Count != checkpoint.Hyperparameters.VocabSize)
            throw new ArgumentException($"--base '{path}': the vocabulary has {own.Count} tokens but the model has {checkpoint.Hyperparameters.VocabSize} embeddings.");
        var builtIn = BuiltInVocabulary.Create(dataRoot);
        var vocabularyToUse = own.IsSentencePiece && own.Pieces.SequenceEqual(builtIn.Pieces) && own.BosId == builtIn.BosId && own.EosId == builtIn.EosId ? builtIn : own;
        LlamaCppTokenizer tokenizer;
        try
        {
            tokenizer = LlamaCppTokenizer.Load(path, vocabularyToUse);
        }
        catch (InvalidDataException e)
        {
            throw new ArgumentException($"--base '{path}': {e.Message}", e);
        }
        using var stream = File.OpenRead(path);
        return new BaseModel(checkpoint, vocabularyToUse, tokenizer, tokenizer, Convert.ToHexStringLower(SHA256.HashData(stream)));
    }

    /// <summary>llama.cpp's view of a vocabulary that has no model file yet: the metadata alone, written to a temporary GGUF.</summary>
    private static LlamaCppTokenizer VocabularyOnlyTokenizer(IReadOnlyList<KeyValuePair<string, GgufValue>> metadata, Vocabulary vocabulary)
    {
        var path = Path.Combine(Path.GetTempPath(), $"darwingrid-vocabulary-{Guid.NewGuid():N}.gguf");
        try
        {
            var writer = new GgufWriter();
            foreach (var (key, value) in metadata) writer.Set(key, value);
            writer.WriteTo(path);
            return LlamaCppTokenizer.Load(path, vocabulary);
        }
        finally
        {
            File.Delete(path);
        }
    }

    public void Dispose() => Native.Dispose();
}

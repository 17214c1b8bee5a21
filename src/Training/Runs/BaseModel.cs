using System.Security.Cryptography;
using DarwinGrid.Training.Gguf;
using DarwinGrid.Training.Models;
using DarwinGrid.Training.Tokenization;

namespace DarwinGrid.Training.Runs;

/// <summary>The model the first stage starts from, with the tokenizer its training data is encoded with.</summary>
/// <param name="Sha256">The base file's SHA-256 (null for a new model).</param>
public sealed record BaseModel(LlamaCheckpoint Checkpoint, Vocabulary Vocabulary, DarwinTokenizer Tokenizer, string? Sha256)
{
    /// <summary>
    /// A new model: random weights of the preset's shape, the built-in vocabulary. A GGUF file: its
    /// weights and its own vocabulary (the built-in one when they are the same), provided it is a
    /// SentencePiece-style ("llama") vocabulary the project's tokenizer can encode with; anything else
    /// is refused with the reason, since training data encoded with another tokenizer would teach the
    /// model tokens inference never produces.
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
            return new BaseModel(new LlamaCheckpoint(shape, metadata, weights), vocabulary, new DarwinTokenizer(vocabulary), null);
        }

        Vocabulary own;
        try
        {
            using var file = GgufFile.Open(path);
            own = LlamaGguf.ReadVocabulary(file);
        }
        catch (Exception e) when (e is GgufFormatException or KeyNotFoundException or InvalidCastException)
        {
            throw new ArgumentException($"--base '{path}': its vocabulary cannot be used for training here: {e.Message}", e);
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
        var vocabularyToUse = own.Pieces.SequenceEqual(builtIn.Pieces) && own.BosId == builtIn.BosId && own.EosId == builtIn.EosId ? builtIn : own;
        DarwinTokenizer tokenizer;
        try
        {
            tokenizer = new DarwinTokenizer(vocabularyToUse);
            if (tokenizer.Encode("What is band gap of given composition?", addBos: true).Length < 2) throw new InvalidDataException("it encodes text as nothing");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new ArgumentException($"--base '{path}': the project's tokenizer cannot use its vocabulary ({e.Message}).", e);
        }
        using var stream = File.OpenRead(path);
        return new BaseModel(checkpoint, vocabularyToUse, tokenizer, Convert.ToHexStringLower(SHA256.HashData(stream)));
    }
}

using DarwinGrid.Training.Models;
using DarwinGrid.Training.Tokenization;

namespace DarwinGrid.Silo.Cli;

/// <summary>
/// A random 128 x 4 LLaMA (~1M parameters) with a character-level SentencePiece vocabulary, for
/// benchmarking the engine when no trained model is given. (Until the chemistry vocabulary lands.)
/// </summary>
public static class RandomBenchModel
{
    public static LlamaHyperparameters Shape(int vocabularySize) =>
        new(vocabularySize, EmbeddingLength: 128, BlockCount: 4, HeadCount: 4, HeadCountKv: 4, FeedForwardLength: 384);

    public static string Write(string directory, int seed = 1)
    {
        var vocabulary = CharacterVocabulary();
        var path = Path.Combine(directory, "random-128x4.gguf");
        RandomLlamaModel.Write(path, Shape(vocabulary.Count), vocabulary, seed);
        return path;
    }

    public static Vocabulary CharacterVocabulary()
    {
        var pieces = new List<VocabularyPiece>
        {
            new("<unk>", 0, TokenType.Unknown),
            new("<s>", 0, TokenType.Control),
            new("</s>", 0, TokenType.Control),
        };
        for (var b = 0; b < 256; b++) pieces.Add(new($"<0x{b:X2}>", 0, TokenType.Byte));
        var normal = new List<string> { "▁" };
        for (var c = 33; c < 127; c++) normal.Add(((char)c).ToString());
        normal.AddRange(Enumerable.Range(0, 10).Select(d => $"▁{d}"));
        for (var i = 0; i < normal.Count; i++) pieces.Add(new(normal[i], -i - 1, TokenType.Normal));
        return new Vocabulary(pieces, BosId: 1, EosId: 2, UnknownId: 0);
    }
}

using Microsoft.ML.Tokenizers;

namespace DarwinGrid.Training.Tokenization;

/// <summary>
/// The managed tokenizer of the data pipeline: the same vocabulary a model's GGUF carries, read by
/// Microsoft.ML.Tokenizers through a SentencePiece model built in memory. Splits text into the
/// same ids as llama.cpp (see the parity tests).
/// </summary>
public sealed class DarwinTokenizer
{
    private readonly SentencePieceTokenizer _tokenizer;

    public DarwinTokenizer(Vocabulary vocabulary)
    {
        Vocabulary = vocabulary;
        using var model = new MemoryStream(SentencePieceModelWriter.ToBytes(vocabulary), writable: false);
        // Positional arguments: the parameter names differ between package versions.
        _tokenizer = SentencePieceTokenizer.Create(model, true, false, null);
    }

    public Vocabulary Vocabulary { get; }

    public int BosId => Vocabulary.BosId;

    public int EosId => Vocabulary.EosId;

    public int[] Encode(string text, bool addBos = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        // Microsoft.ML.Tokenizers returns no ids at all for "", llama.cpp returns just BOS; follow llama.cpp.
        if (text.Length == 0) return addBos ? [BosId] : [];
        return [.. _tokenizer.EncodeToIds(text, addBos, addEndOfSentence: false, considerPreTokenization: true, considerNormalization: true)];
    }

    /// <summary>The text of the ids; BOS/EOS are dropped and the leading space of the dummy prefix removed.</summary>
    public string Decode(IEnumerable<int> ids)
    {
        var list = ids as IReadOnlyList<int> ?? ids.ToArray();
        for (var i = 0; i < list.Count; i++)
            if (list[i] < 0 || list[i] >= Vocabulary.Count)
                throw new ArgumentOutOfRangeException(nameof(ids), list[i], $"Token id at position {i} is outside the vocabulary (0..{Vocabulary.Count - 1}).");
        return _tokenizer.Decode(list, considerSpecialTokens: false) ?? string.Empty;
    }

    /// <summary>The vocabulary pieces of the ids (e.g. <c>▁band</c>, <c>Fe</c>, <c>&lt;0xC2&gt;</c>), for inspection.</summary>
    public IReadOnlyList<string> Pieces(IEnumerable<int> ids) => ids.Select(id => Vocabulary.Pieces[id].Piece).ToArray();
}

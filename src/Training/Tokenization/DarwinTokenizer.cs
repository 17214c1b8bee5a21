using Microsoft.ML.Tokenizers;

namespace DarwinGrid.Training.Tokenization;

/// <summary>
/// The managed tokenizer of the data pipeline: the same vocabulary a model's GGUF carries, read by
/// Microsoft.ML.Tokenizers through a SentencePiece model built in memory. Splits text into the
/// same ids as llama.cpp (see the parity tests).
/// </summary>
public sealed class DarwinTokenizer : ITextTokenizer
{
    private readonly SentencePieceTokenizer _tokenizer;

    /// <summary>The same vocabulary without the dummy prefix, for text that continues other text.</summary>
    private readonly SentencePieceTokenizer _continuationTokenizer;

    public DarwinTokenizer(Vocabulary vocabulary)
    {
        if (!vocabulary.IsSentencePiece)
            throw new ArgumentException($"The managed tokenizer reads SentencePiece-style vocabularies only; this one is '{vocabulary.Model}' (encode it through llama.cpp instead).", nameof(vocabulary));
        Vocabulary = vocabulary;
        _tokenizer = CreateSentencePiece(vocabulary);
        _continuationTokenizer = vocabulary.AddSpacePrefix ? CreateSentencePiece(vocabulary with { AddSpacePrefix = false }) : _tokenizer;
    }

    private static SentencePieceTokenizer CreateSentencePiece(Vocabulary vocabulary)
    {
        using var model = new MemoryStream(SentencePieceModelWriter.ToBytes(vocabulary), writable: false);
        // Positional arguments: the parameter names differ between package versions.
        return SentencePieceTokenizer.Create(model, true, false, null);
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

    /// <summary>
    /// The tokens of text that directly follows other text (a training answer after its prompt):
    /// no BOS and no dummy-prefix <c>▁</c>, so <c>" 1.51\n"</c> gives <c>▁ 1 . 5 1 \n</c> and not
    /// <c>▁▁ 1 ...</c>: exactly what a model generates after <c>"### Response:"</c>. The inverse of
    /// <see cref="DecodeContinuation"/>: <c>DecodeContinuation(EncodeContinuation(t)) == t</c>.
    /// </summary>
    public int[] EncodeContinuation(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0) return [];
        return [.. _continuationTokenizer.EncodeToIds(text, false, addEndOfSentence: false, considerPreTokenization: true, considerNormalization: true)];
    }

    /// <summary>
    /// The text of a whole encoded text: BOS/EOS are dropped and the space the dummy prefix added is
    /// removed again, so <c>Decode(Encode(t)) == t</c>. For generated tokens that continue a prompt
    /// use <see cref="DecodeContinuation"/>, which keeps a leading space (" 1.51" stays " 1.51").
    /// </summary>
    public string Decode(IEnumerable<int> ids) => _tokenizer.Decode(Checked(ids), considerSpecialTokens: false) ?? string.Empty;

    /// <summary>The text the ids add when they follow other text: every <c>▁</c> is a space, byte pieces are reassembled into UTF-8, control pieces are dropped.</summary>
    public string DecodeContinuation(IEnumerable<int> ids)
    {
        var bytes = new List<byte>();
        foreach (var id in Checked(ids))
        {
            var piece = Vocabulary.Pieces[id];
            switch (piece.Type)
            {
                case TokenType.Byte:
                    bytes.Add(Convert.ToByte(piece.Piece[3..^1], 16));
                    break;
                case TokenType.Normal or TokenType.UserDefined:
                    bytes.AddRange(System.Text.Encoding.UTF8.GetBytes(piece.Piece.Replace(SentencePieceText.SpaceSymbol, ' ')));
                    break;
            }
        }
        return System.Text.Encoding.UTF8.GetString([.. bytes]);
    }

    private IReadOnlyList<int> Checked(IEnumerable<int> ids)
    {
        var list = ids as IReadOnlyList<int> ?? ids.ToArray();
        for (var i = 0; i < list.Count; i++)
            if (list[i] < 0 || list[i] >= Vocabulary.Count)
                throw new ArgumentOutOfRangeException(nameof(ids), list[i], $"Token id at position {i} is outside the vocabulary (0..{Vocabulary.Count - 1}).");
        return list;
    }

    /// <summary>The vocabulary pieces of the ids (e.g. <c>▁band</c>, <c>Fe</c>, <c>&lt;0xC2&gt;</c>), for inspection.</summary>
    public IReadOnlyList<string> Pieces(IEnumerable<int> ids) => ids.Select(id => Vocabulary.Pieces[id].Piece).ToArray();
}

namespace DarwinGrid.Training.Tokenization;

/// <summary>SentencePiece / llama.cpp token types (values as stored in <c>tokenizer.ggml.token_type</c>).</summary>
public enum TokenType
{
    Normal = 1,
    Unknown = 2,
    Control = 3,
    UserDefined = 4,
    Unused = 5,
    Byte = 6,
}

public sealed record VocabularyPiece(string Piece, float Score, TokenType Type);

/// <summary>
/// A vocabulary as llama.cpp reads it from a GGUF: SentencePiece-style (<c>tokenizer.ggml.model =
/// "llama"</c>, pieces with scores) by default, or byte-level BPE (<see cref="TokenizerModels.Gpt2"/>:
/// pieces in GPT-2's byte-to-unicode form, <see cref="Merges"/> in rank order and a
/// <see cref="PreTokenizer"/> such as <c>llama-bpe</c> or <c>gpt-2</c>). Piece ids are list positions.
/// </summary>
public sealed record Vocabulary(
    IReadOnlyList<VocabularyPiece> Pieces,
    int BosId,
    int EosId,
    int UnknownId,
    bool AddSpacePrefix = true)
{
    public int Count => Pieces.Count;

    /// <summary><c>tokenizer.ggml.model</c>: <see cref="TokenizerModels.SentencePiece"/> or <see cref="TokenizerModels.Gpt2"/>.</summary>
    public string Model { get; init; } = TokenizerModels.SentencePiece;

    /// <summary><c>tokenizer.ggml.pre</c> of a byte-level BPE vocabulary (null: llama.cpp's default).</summary>
    public string? PreTokenizer { get; init; }

    /// <summary>Byte-level BPE merges (<c>"left right"</c>), highest priority first; empty for SentencePiece.</summary>
    public IReadOnlyList<string> Merges { get; init; } = [];

    /// <summary><c>tokenizer.ggml.add_bos_token</c>: whether a text starts with BOS (GPT-2 has none).</summary>
    public bool AddBos { get; init; } = true;

    /// <summary><c>tokenizer.ggml.padding_token_id</c>, when the vocabulary names one.</summary>
    public int? PaddingId { get; init; }

    public bool IsSentencePiece => Model == TokenizerModels.SentencePiece;
}

/// <summary>The values of <c>tokenizer.ggml.model</c> llama.cpp loads for LLaMA-family models.</summary>
public static class TokenizerModels
{
    /// <summary>SentencePiece BPE with scores and byte fallback (LLaMA 1/2, DarwinGrid's built-in vocabulary).</summary>
    public const string SentencePiece = "llama";

    /// <summary>Byte-level BPE with merges (GPT-2, LLaMA 3).</summary>
    public const string Gpt2 = "gpt2";
}

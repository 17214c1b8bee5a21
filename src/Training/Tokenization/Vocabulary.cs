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
/// A SentencePiece-style vocabulary as llama.cpp reads it from a GGUF
/// (<c>tokenizer.ggml.model = "llama"</c>). Piece ids are list positions.
/// </summary>
public sealed record Vocabulary(
    IReadOnlyList<VocabularyPiece> Pieces,
    int BosId,
    int EosId,
    int UnknownId,
    bool AddSpacePrefix = true)
{
    public int Count => Pieces.Count;
}

using System.Security.Cryptography;
using System.Text;

namespace DarwinGrid.Training.Tokenization;

/// <summary>SHA-256 of a vocabulary: the same vocabulary gives the same hash.</summary>
public static class VocabularyFingerprint
{
    /// <summary>A SentencePiece vocabulary is hashed as its SentencePiece model (as before); a BPE one as its model, pre-tokenizer, pieces and merges.</summary>
    public static string Sha256(Vocabulary vocabulary)
    {
        if (vocabulary.IsSentencePiece) return Convert.ToHexStringLower(SHA256.HashData(SentencePieceModelWriter.ToBytes(vocabulary)));
        var text = new StringBuilder()
            .Append(vocabulary.Model).Append('\0').Append(vocabulary.PreTokenizer).Append('\0')
            .AppendJoin('\0', vocabulary.Pieces.Select(p => $"{p.Piece}\u0001{(int)p.Type}")).Append("\0\0")
            .AppendJoin('\0', vocabulary.Merges)
            .Append($"\0{vocabulary.BosId}\0{vocabulary.EosId}\0{vocabulary.AddBos}");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}

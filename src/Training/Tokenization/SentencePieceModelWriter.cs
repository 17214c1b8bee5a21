namespace DarwinGrid.Training.Tokenization;

/// <summary>
/// Writes a <see cref="Vocabulary"/> as a SentencePiece model file (<c>ModelProto</c>), so that
/// Microsoft.ML.Tokenizers splits text exactly as llama.cpp does with the same vocabulary in a
/// GGUF. The settings are the ones measured to agree (shared/notes/tokenizer-parity.md): BPE,
/// byte fallback, identity normalisation, dummy prefix, extra whitespace kept.
/// </summary>
public static class SentencePieceModelWriter
{
    // Field numbers from sentencepiece_model.proto.
    private const int ModelPieces = 1, ModelTrainerSpec = 2, ModelNormalizerSpec = 3;
    private const int PieceText = 1, PieceScore = 2, PieceType = 3;
    private const int TrainerModelType = 3, TrainerVocabSize = 4, TrainerByteFallback = 35;
    private const int TrainerUnkId = 40, TrainerBosId = 41, TrainerEosId = 42;
    private const int TrainerUnkPiece = 45, TrainerBosPiece = 46, TrainerEosPiece = 47;
    private const int NormalizerName = 1, NormalizerAddDummyPrefix = 3, NormalizerRemoveExtraWhitespaces = 4, NormalizerEscapeWhitespaces = 5;
    private const int ModelTypeBpe = 2;

    public static byte[] ToBytes(Vocabulary vocabulary)
    {
        Validate(vocabulary);
        var model = new ProtobufWriter();
        foreach (var piece in vocabulary.Pieces)
            model.Message(ModelPieces, new ProtobufWriter()
                .String(PieceText, piece.Piece)
                .Float(PieceScore, piece.Score)
                .Int(PieceType, (int)piece.Type));
        model.Message(ModelTrainerSpec, new ProtobufWriter()
            .Int(TrainerModelType, ModelTypeBpe)
            .Int(TrainerVocabSize, vocabulary.Count)
            .Bool(TrainerByteFallback, true)
            .Int(TrainerUnkId, vocabulary.UnknownId)
            .Int(TrainerBosId, vocabulary.BosId)
            .Int(TrainerEosId, vocabulary.EosId)
            .String(TrainerUnkPiece, vocabulary.Pieces[vocabulary.UnknownId].Piece)
            .String(TrainerBosPiece, vocabulary.Pieces[vocabulary.BosId].Piece)
            .String(TrainerEosPiece, vocabulary.Pieces[vocabulary.EosId].Piece));
        model.Message(ModelNormalizerSpec, new ProtobufWriter()
            .String(NormalizerName, "identity")
            .Bool(NormalizerAddDummyPrefix, vocabulary.AddSpacePrefix)
            .Bool(NormalizerRemoveExtraWhitespaces, false)
            .Bool(NormalizerEscapeWhitespaces, true));
        return model.ToArray();
    }

    public static void Write(Vocabulary vocabulary, Stream destination) => destination.Write(ToBytes(vocabulary));

    public static void WriteTo(Vocabulary vocabulary, string path) => File.WriteAllBytes(path, ToBytes(vocabulary));

    private static void Validate(Vocabulary vocabulary)
    {
        foreach (var (name, id) in new[] { ("unknown", vocabulary.UnknownId), ("BOS", vocabulary.BosId), ("EOS", vocabulary.EosId) })
            if (id < 0 || id >= vocabulary.Count)
                throw new ArgumentException($"The {name} id {id} is outside the vocabulary (0..{vocabulary.Count - 1}).", nameof(vocabulary));
        var empty = vocabulary.Pieces.Select((p, i) => (p, i)).FirstOrDefault(x => x.p.Piece.Length == 0);
        if (empty.p is not null)
            throw new ArgumentException($"Piece {empty.i} is empty; SentencePiece pieces must not be empty.", nameof(vocabulary));
    }
}

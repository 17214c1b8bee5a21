using DarwinGrid.Domain.Data;

namespace DarwinGrid.Training.Tokenization;

/// <summary>The vocabularies <c>darwin model new --tokenizer</c> writes into a model.</summary>
public enum VocabularyKind
{
    /// <summary>DarwinGrid's own (<see cref="BuiltInVocabulary"/>).</summary>
    Builtin,
    /// <summary>LLaMA-2-style SentencePiece BPE learnt from the shared corpus (byte fallback, split digits).</summary>
    Spm,
    /// <summary>GPT-2's byte-level BPE.</summary>
    Gpt2,
    /// <summary>A LLaMA-3 imitation: cl100k, the <c>llama-bpe</c> pre-tokenizer, 256 control tokens.</summary>
    Llama3,
}

public static class VocabularyKinds
{
    public static string Names => string.Join("|", Enum.GetNames<VocabularyKind>().Select(n => n.ToLowerInvariant()));

    public static VocabularyKind Parse(string text) =>
        Enum.TryParse<VocabularyKind>(text, ignoreCase: true, out var kind) && Enum.IsDefined(kind) && !int.TryParse(text, out _)
            ? kind
            : throw new ArgumentException($"--tokenizer '{text}' is not one of {Names}.");

    /// <param name="dataRoot">The shared data folder (the built-in and SentencePiece vocabularies are learnt from its corpus); null finds it.</param>
    /// <param name="sentencePieceSize">The SentencePiece vocabulary's size (ignored for the others).</param>
    public static Vocabulary Create(VocabularyKind kind, string? dataRoot, int sentencePieceSize = SentencePieceBpeTrainer.LlamaVocabularySize) => kind switch
    {
        VocabularyKind.Builtin => BuiltInVocabulary.Create(dataRoot),
        VocabularyKind.Spm => SentencePieceBpeTrainer.Train(SharedCorpus.Load(SharedDataLocator.Locate(dataRoot)).Texts(), sentencePieceSize),
        VocabularyKind.Gpt2 => ByteLevelVocabularies.Gpt2(),
        VocabularyKind.Llama3 => ByteLevelVocabularies.Llama3(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}

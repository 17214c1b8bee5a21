namespace DarwinGrid.Training.Tokenization;

/// <summary>
/// Caps and thresholds of <see cref="VocabularyBuilder"/>. Every limit is fixed so that the same
/// corpus always yields the same vocabulary.
/// </summary>
public sealed record VocabularyBuilderOptions
{
    /// <summary>How many words and punctuation runs (the most frequent first) become single pieces.</summary>
    public int MaxWords { get; init; } = 320;

    /// <summary>A word or punctuation run must occur at least this often to be chosen.</summary>
    public int MinWordCount { get; init; } = 20;

    /// <summary>How many multi-word phrases (learnt by merging adjacent chosen words, most frequent pair first) are added.</summary>
    public int MaxPhrases { get; init; } = 128;

    /// <summary>An adjacent pair of words must occur at least this often to become a phrase.</summary>
    public int MinPhraseCount { get; init; } = 100;

    /// <summary>How many non-ASCII characters (µ, °, Å, ...) get a piece of their own instead of UTF-8 byte pieces.</summary>
    public int MaxExtraCharacters { get; init; } = 64;

    /// <summary>A non-ASCII character must occur at least this often to get its own piece.</summary>
    public int MinCharacterCount { get; init; } = 20;

    /// <summary>
    /// Pieces that are always single tokens whatever the corpus says, written as the tokenizer
    /// sees them (<c>▁</c> for a space). Each must be one word or punctuation run.
    /// </summary>
    public IReadOnlyList<string> RequiredPieces { get; init; } = DefaultRequiredPieces;

    /// <summary>The words and separators of DARWIN's prompt template and the most common task wording.</summary>
    public static IReadOnlyList<string> DefaultRequiredPieces { get; } =
    [
        "▁Below", "▁is", "▁an", "▁instruction", "▁that", "▁describes", "▁a", "▁task", "▁paired", "▁with",
        "▁input", "▁provides", "▁further", "▁context", "▁Write", "▁response", "▁appropriately",
        "▁completes", "▁the", "▁request", "###", "▁Instruction", "▁Input", "▁Response", "\n\n", ":\n",
        "▁band", "▁gap", "▁composition", "▁given", "Given", "▁of", "▁its", "▁write", "▁What", "▁->",
    ];

    public VocabularyBuilderOptions Validated()
    {
        Require(MaxWords >= 0, nameof(MaxWords), MaxWords);
        Require(MinWordCount >= 1, nameof(MinWordCount), MinWordCount);
        Require(MaxPhrases >= 0, nameof(MaxPhrases), MaxPhrases);
        Require(MinPhraseCount >= 1, nameof(MinPhraseCount), MinPhraseCount);
        Require(MaxExtraCharacters >= 0, nameof(MaxExtraCharacters), MaxExtraCharacters);
        Require(MinCharacterCount >= 1, nameof(MinCharacterCount), MinCharacterCount);
        return this;
    }

    private static void Require(bool condition, string name, int value)
    {
        if (!condition) throw new ArgumentOutOfRangeException(name, value, $"Vocabulary builder option {name} is out of range ({value}).");
    }
}

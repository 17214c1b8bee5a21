using DarwinGrid.Domain.Data;
using DarwinGrid.Domain.Tasks;

namespace DarwinGrid.Training.Tokenization;

/// <summary>
/// THE vocabulary of DarwinGrid's own models: <see cref="VocabularyBuilder"/> with the default
/// options over the shared corpus. Same data, same vocabulary, byte for byte.
/// </summary>
public static class BuiltInVocabulary
{
    /// <summary>
    /// The default pieces plus the first word of every class option in the catalog (<c>▁Yes</c>,
    /// <c>▁fcc</c>, <c>▁hcp</c>, <c>▁high</c>...): classification reads class probabilities from one
    /// forward pass, which needs the options to start with different tokens.
    /// </summary>
    public static VocabularyBuilderOptions Options { get; } = new()
    {
        RequiredPieces = [.. VocabularyBuilderOptions.DefaultRequiredPieces, .. ClassOptionPieces()],
    };

    /// <param name="dataRoot">The shared data folder; null finds it (DARWINGRID_DATA or shared/data above the working directory).</param>
    public static Vocabulary Create(string? dataRoot = null) =>
        Create(SharedCorpus.Load(SharedDataLocator.Locate(dataRoot)));

    public static Vocabulary Create(SharedCorpus corpus) => VocabularyBuilder.Build(corpus.Texts(), Options);

    private static IEnumerable<string> ClassOptionPieces() =>
        TaskCatalog.All.SelectMany(t => t.Classes)
            .Select(c => new string(c.Option.TrimStart().TakeWhile(char.IsLetter).ToArray()))
            // Element symbols (" No" is nobelium) stay bare pieces by design; one letter is a character piece already.
            .Where(word => word.Length >= 2 && !ChemicalElements.IsSymbol(word))
            .Select(word => "▁" + word)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
}

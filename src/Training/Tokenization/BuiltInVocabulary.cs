using DarwinGrid.Domain.Data;

namespace DarwinGrid.Training.Tokenization;

/// <summary>
/// THE vocabulary of DarwinGrid's own models: <see cref="VocabularyBuilder"/> with the default
/// options over the shared corpus. Same data, same vocabulary, byte for byte.
/// </summary>
public static class BuiltInVocabulary
{
    public static VocabularyBuilderOptions Options { get; } = new();

    /// <param name="dataRoot">The shared data folder; null finds it (DARWINGRID_DATA or shared/data above the working directory).</param>
    public static Vocabulary Create(string? dataRoot = null) =>
        Create(SharedCorpus.Load(SharedDataLocator.Locate(dataRoot)));

    public static Vocabulary Create(SharedCorpus corpus) => VocabularyBuilder.Build(corpus.Texts(), Options);
}

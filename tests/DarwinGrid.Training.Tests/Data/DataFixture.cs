using DarwinGrid.TestSupport;
using DarwinGrid.Training.Data;
using DarwinGrid.Training.Tokenization;

namespace DarwinGrid.Training.Tests.Data;

/// <summary>
/// Built once for the data tests: the built-in vocabulary's tokenizer and the default mixture
/// (all tasks, fold 0, darwin format), which most tests inspect.
/// </summary>
public sealed class DataFixture
{
    public DataFixture()
    {
        Tokenizer = new DarwinTokenizer(BuiltInVocabulary.Create(SharedData.Root));
        Fold0 = MultiTaskMixture.Load(SharedData.Root, new MultiTaskOptions { Fold = new FoldSelection(0) });
    }

    public DarwinTokenizer Tokenizer { get; }

    /// <summary>Every catalog task, fold 0 left out, default sampling, darwin format.</summary>
    public MultiTaskMixture Fold0 { get; }
}

[CollectionDefinition(Name)]
public sealed class DataCollection : ICollectionFixture<DataFixture>
{
    public const string Name = "Training data";
}

using DarwinGrid.Training.Data;
using DarwinGrid.Training.Optimization;
using DarwinGrid.Training.Tokenization;

namespace DarwinGrid.Training.Runs;

/// <summary>
/// A multi-task mixture as trainer records: epoch e of the mixture, tokenized on demand (the
/// prompt as inference feeds it, the answer as continuation tokens + EOS). Examples longer than
/// the window are dropped and counted, never cut.
/// </summary>
public sealed class MixtureRecords : IStageRecords
{
    private readonly ExampleTokenizer _tokenizer;
    private readonly Dictionary<int, int> _droppedPerEpoch = [];

    public MixtureRecords(MultiTaskMixture mixture, DarwinTokenizer tokenizer, int maxTokens)
    {
        Mixture = mixture;
        _tokenizer = new ExampleTokenizer(tokenizer, new TokenizationOptions { MaxTokens = maxTokens });
        var validation = _tokenizer.TokenizeAll(mixture.Validation());
        Validation = validation.Examples.Select(ToRecord).ToArray();
        ValidationStatistics = validation.Statistics;
        ValidationDropped = validation.Dropped.Count;
        FirstEpoch = _tokenizer.TokenizeAll(mixture.Epoch(0));
        _droppedPerEpoch[0] = FirstEpoch.Dropped.Count;
    }

    public MultiTaskMixture Mixture { get; }

    public TokenizationOptions Tokenization => _tokenizer.Options;

    /// <summary>Epoch 0 tokenized (its statistics describe the run's data in the manifest).</summary>
    public TokenizedDataset FirstEpoch { get; }

    public IReadOnlyList<TrainingRecord> Validation { get; }

    public TokenStatistics ValidationStatistics { get; }

    public int ValidationDropped { get; }

    /// <summary>Examples dropped as too long, per epoch tokenized so far.</summary>
    public IReadOnlyDictionary<int, int> DroppedPerEpoch => _droppedPerEpoch;

    public IReadOnlyList<TrainingRecord> Epoch(int epoch)
    {
        if (epoch == 0) return FirstEpoch.Examples.Select(ToRecord).ToArray();
        var tokens = _tokenizer.TokenizeAll(Mixture.Epoch(epoch));
        _droppedPerEpoch[epoch] = tokens.Dropped.Count;
        return tokens.Examples.Select(ToRecord).ToArray();
    }

    public DatasetManifest Manifest(Vocabulary vocabulary) => DatasetManifest.For(Mixture).WithTokenization(vocabulary, Tokenization, FirstEpoch);

    private static TrainingRecord ToRecord(TokenizedExample example) => new(example.PromptTokens, example.ResponseTokens);
}

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

    /// <summary>A fixed window: longer examples are dropped and counted.</summary>
    public MixtureRecords(MultiTaskMixture mixture, ITextTokenizer tokenizer, int maxTokens)
        : this(mixture, tokenizer, maxTokens, null)
    {
    }

    /// <summary>The window from the data (<see cref="TrainingWindow"/>): refuses to drop more than 1% of a task or any validation record.</summary>
    /// <param name="lab">Lab records with a replay of <paramref name="mixture"/> as the epochs instead of the mixture's own; null: the mixture.</param>
    public MixtureRecords(MultiTaskMixture mixture, ITextTokenizer tokenizer, TrainingWindowRequest window, LabReplayMixture? lab = null)
        : this(mixture, tokenizer, null, window, lab)
    {
    }

    private MixtureRecords(MultiTaskMixture mixture, ITextTokenizer tokenizer, int? maxTokens, TrainingWindowRequest? request, LabReplayMixture? lab = null)
    {
        Mixture = mixture;
        Lab = lab;
        var unlimited = new ExampleTokenizer(tokenizer, new TokenizationOptions { MaxTokens = int.MaxValue });
        var validation = unlimited.TokenizeAll(mixture.Validation());
        var firstEpoch = unlimited.TokenizeAll(EpochExamples(0));
        Window = maxTokens ?? TrainingWindow.Choose(firstEpoch.Examples, validation.Examples, request!);
        _tokenizer = new ExampleTokenizer(tokenizer, new TokenizationOptions { MaxTokens = Window });
        validation = validation.Within(Window);
        Validation = validation.Examples.Select(ToRecord).ToArray();
        ValidationStatistics = validation.Statistics;
        ValidationDropped = validation.Dropped.Count;
        FirstEpoch = firstEpoch.Within(Window);
        _droppedPerEpoch[0] = FirstEpoch.Dropped.Count;
    }

    /// <summary>The longest example (BOS and EOS included) the stage trains on: the trainer's window.</summary>
    public int Window { get; }

    public MultiTaskMixture Mixture { get; }

    /// <summary>The lab records the epochs are made of (with a replay of <see cref="Mixture"/>); null when the epochs are the mixture's.</summary>
    public LabReplayMixture? Lab { get; }

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
        var tokens = _tokenizer.TokenizeAll(EpochExamples(epoch));
        _droppedPerEpoch[epoch] = tokens.Dropped.Count;
        return tokens.Examples.Select(ToRecord).ToArray();
    }

    public DatasetManifest Manifest(Vocabulary vocabulary) =>
        (DatasetManifest.For(Mixture) with
        {
            LabRecords = Lab?.LabRecords,
            LabReplayShare = Lab?.ReplayShare,
            ExamplesPerEpoch = Lab is null ? Mixture.ExamplesPerEpoch : Lab.LabRecords + Lab.ReplayPerEpoch,
        }).WithTokenization(vocabulary, Tokenization, FirstEpoch);

    private IReadOnlyList<TrainingExample> EpochExamples(int epoch) => Lab?.Epoch(epoch) ?? Mixture.Epoch(epoch);

    private static TrainingRecord ToRecord(TokenizedExample example) => new(example.PromptTokens, example.ResponseTokens);
}

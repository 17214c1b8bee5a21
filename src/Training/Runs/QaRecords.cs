using DarwinGrid.Training.Data;
using DarwinGrid.Training.Optimization;
using DarwinGrid.Training.Tokenization;

namespace DarwinGrid.Training.Runs;

/// <summary>
/// Stage 1 as trainer records: SciQAG pairs in DARWIN's no-input Alpaca form (<see cref="QaExamples"/>),
/// tokenized on demand like the mixture (prompt as inference feeds it, answer + EOS). Epoch e is the
/// e-th slice of <see cref="QaDataset.Epoch"/>'s seeded passes when a preset caps the pairs per epoch,
/// so successive epochs see different pairs. Pairs longer than the window are dropped and counted.
/// </summary>
public sealed class QaRecords : IStageRecords
{
    private readonly ExampleTokenizer _tokenizer;
    private readonly int? _perEpoch;
    private readonly Dictionary<int, int> _droppedPerEpoch = [];
    private readonly TokenizedDataset _firstEpoch;

    /// <summary>A fixed window: longer pairs are dropped and counted.</summary>
    public QaRecords(QaDataset qa, ITextTokenizer tokenizer, int maxTokens, int? examplesPerEpoch)
        : this(qa, tokenizer, maxTokens, null, examplesPerEpoch)
    {
    }

    /// <summary>The window from the data (<see cref="TrainingWindow"/>): refuses to drop more than 1% of the pairs or any validation pair.</summary>
    public QaRecords(QaDataset qa, ITextTokenizer tokenizer, TrainingWindowRequest window, int? examplesPerEpoch)
        : this(qa, tokenizer, null, window, examplesPerEpoch)
    {
    }

    private QaRecords(QaDataset qa, ITextTokenizer tokenizer, int? maxTokens, TrainingWindowRequest? request, int? examplesPerEpoch)
    {
        if (examplesPerEpoch is < 1) throw new ArgumentException($"QA examples per epoch must be positive (got {examplesPerEpoch}).");
        Qa = qa;
        _perEpoch = examplesPerEpoch;
        var unlimited = new ExampleTokenizer(tokenizer, new TokenizationOptions { MaxTokens = int.MaxValue });
        var validation = unlimited.TokenizeAll(qa.Validation);
        var firstEpoch = unlimited.TokenizeAll(Examples(0));
        Window = maxTokens ?? TrainingWindow.Choose(firstEpoch.Examples, validation.Examples, request!);
        _tokenizer = new ExampleTokenizer(tokenizer, new TokenizationOptions { MaxTokens = Window });
        Validation = validation.Within(Window).Examples.Select(ToRecord).ToArray();
        _firstEpoch = firstEpoch.Within(Window);
        _droppedPerEpoch[0] = _firstEpoch.Dropped.Count;
        if (_firstEpoch.Examples.Count == 0)
            throw new InvalidDataException($"No QA pair of {qa.File.Path} fits the window of {Window} tokens.");
    }

    /// <inheritdoc cref="MixtureRecords.Window"/>
    public int Window { get; }

    public QaDataset Qa { get; }

    public IReadOnlyList<TrainingRecord> Validation { get; }

    public IReadOnlyDictionary<int, int> DroppedPerEpoch => _droppedPerEpoch;

    public IReadOnlyList<TrainingRecord> Epoch(int epoch)
    {
        if (epoch == 0) return _firstEpoch.Examples.Select(ToRecord).ToArray();
        var tokens = _tokenizer.TokenizeAll(Examples(epoch));
        _droppedPerEpoch[epoch] = tokens.Dropped.Count;
        return tokens.Examples.Select(ToRecord).ToArray();
    }

    public DatasetManifest Manifest(Vocabulary vocabulary)
    {
        var manifest = DatasetManifest.For(Qa).WithTokenization(vocabulary, _tokenizer.Options, _firstEpoch);
        return _perEpoch is { } n ? manifest with { ExamplesPerEpoch = Math.Min(n, Qa.Train.Count) } : manifest;
    }

    /// <summary>Epoch e's pairs: all of a pass, or the e-th slice of consecutive seeded passes.</summary>
    private IReadOnlyList<TrainingExample> Examples(int epoch)
    {
        if (_perEpoch is not { } n || n >= Qa.Train.Count) return Qa.Epoch(epoch);
        var examples = new List<TrainingExample>(n);
        var total = Qa.Train.Count;
        IReadOnlyList<TrainingExample>? pass = null;
        var passIndex = -1L;
        for (var position = (long)epoch * n; position < (long)(epoch + 1) * n; position++)
        {
            if (position / total != passIndex)
            {
                passIndex = position / total;
                pass = Qa.Epoch((int)passIndex);
            }
            examples.Add(pass![(int)(position % total)]);
        }
        return examples;
    }

    private static TrainingRecord ToRecord(TokenizedExample example) => new(example.PromptTokens, example.ResponseTokens);
}

using DarwinGrid.Domain.Datasets;

namespace DarwinGrid.Training.Data;

/// <summary>The stage-1 QA examples: a seeded validation slice and the rest for training.</summary>
public sealed class QaDataset
{
    private QaDataset(QaDatasetOptions options, IReadOnlyList<TrainingExample> train, IReadOnlyList<TrainingExample> validation,
        IReadOnlyList<SkippedRow> skipped, DataFileHash file)
    {
        Options = options;
        Train = train;
        Validation = validation;
        Skipped = skipped;
        File = file;
    }

    public QaDatasetOptions Options { get; }

    /// <summary>The training pairs in file order (use <see cref="Epoch"/> for a shuffled pass).</summary>
    public IReadOnlyList<TrainingExample> Train { get; }

    public IReadOnlyList<TrainingExample> Validation { get; }

    /// <summary>Pairs with an empty question or answer, reported by the loader.</summary>
    public IReadOnlyList<SkippedRow> Skipped { get; }

    public DataFileHash File { get; }

    public static QaDataset Load(string dataRoot, QaDatasetOptions? options = null)
    {
        options = (options ?? new QaDatasetOptions()).Validated();
        var load = SciQagLoader.Load(DataFiles.Resolve(dataRoot, options.File));
        if (load.Records.Count < 2)
            throw new InvalidDataException($"{options.File}: only {load.Records.Count} usable question-answer pairs.");

        var order = Enumerable.Range(0, load.Records.Count).ToArray();
        SplitMix64Random.Stream(options.Seed, QaExamples.TaskName, "validation").Shuffle(order);
        var validationCount = Math.Min((int)Math.Round(options.ValidationFraction * order.Length), order.Length - 1);
        var validationSet = order.Take(validationCount).ToHashSet();

        var train = new List<TrainingExample>();
        var validation = new List<TrainingExample>();
        for (var i = 0; i < load.Records.Count; i++)
            (validationSet.Contains(i) ? validation : train).Add(QaExamples.From(load.Records[i], options.Format));
        return new QaDataset(options, train, validation, load.Skipped, DataFileHash.Of(dataRoot, options.File));
    }

    /// <summary>Every training pair once, in a seeded order that differs per epoch.</summary>
    public IReadOnlyList<TrainingExample> Epoch(int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        var examples = Train.ToArray();
        SplitMix64Random.Stream(Options.Seed, QaExamples.TaskName, "epoch", epoch).Shuffle(examples);
        return examples;
    }
}

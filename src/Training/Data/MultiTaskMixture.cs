using DarwinGrid.Domain.Compositions;
using DarwinGrid.Domain.Datasets;
using DarwinGrid.Domain.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DarwinGrid.Training.Data;

/// <summary>
/// Stage 2 (DARWIN's multi-task fine-tuning): the catalog tasks' records as instruction examples,
/// mixed by temperature sampling, with DARWIN's distractors. Each task's records form an endless
/// stream of seeded permutations; epoch e takes the next share of the stream, so a down-sampled
/// task shows every record before it repeats one, and an up-sampled task shows each record equally
/// often. Everything is a pure function of the options and the data.
/// </summary>
public sealed class MultiTaskMixture
{
    private readonly ExampleWriter[] _writers;

    private MultiTaskMixture(MultiTaskOptions options, IReadOnlyList<TaskPartition> partitions, IReadOnlyList<string> nouns,
        IReadOnlyList<DataFileHash> files)
    {
        Options = options;
        Partitions = partitions;
        DistractorNouns = nouns;
        Files = files;
        _writers = partitions.Select(p => new ExampleWriter(p.Task, options.Format, nouns)).ToArray();
        Shares = MixturePlan.Compute(partitions, options, p => _writers[IndexOf(p)].CanWriteDistractors);
    }

    public MultiTaskOptions Options { get; }

    /// <summary>The selected tasks in catalog order, with their train/validation records.</summary>
    public IReadOnlyList<TaskPartition> Partitions { get; }

    public IReadOnlyList<TaskShare> Shares { get; }

    public IReadOnlyList<string> DistractorNouns { get; }

    /// <summary>Every data file read (task sources and the files the distractor nouns came from).</summary>
    public IReadOnlyList<DataFileHash> Files { get; }

    public int ExamplesPerEpoch => Shares.Sum(s => s.ExamplesPerEpoch);

    public static MultiTaskMixture Load(string dataRoot, MultiTaskOptions? options = null, ILogger? logger = null)
    {
        options = (options ?? new MultiTaskOptions()).Validated();
        logger ??= NullLogger.Instance;
        var tasks = options.SelectedTasks();
        var loads = tasks.Select(t => (Task: t, Load: TaskDatasetLoader.Load(t, dataRoot))).ToArray();
        foreach (var (task, load) in loads.Where(l => l.Load.Skipped.Count > 0))
            logger.LogInformation("{Task}: {Skipped} data rows not usable (first: {First})", task.Name, load.Skipped.Count, load.Skipped[0]);

        var partitions = TaskPartitioner.Partition(loads, options, dataRoot);
        var nouns = options.DistractorRate > 0 ? Data.DistractorNouns.Harvest(dataRoot) : [];
        var mixture = new MultiTaskMixture(options, partitions, nouns, DataFileHash.OfAll(dataRoot, SourceFiles(options)));
        foreach (var (p, s) in partitions.Zip(mixture.Shares))
            logger.LogInformation("{Task}: {Loaded} records, {Test} in test fold, {Leak} held out as shared, {Validation} validation, {Train} train -> {Examples} examples/epoch ({Distractors} distractors)",
                p.Task.Name, p.Loaded, p.TestFold, p.LeakExcluded, p.Validation.Count, p.Train.Count, s.ExamplesPerEpoch, s.DistractorsPerEpoch);
        return mixture;
    }

    /// <summary>The data files a mixture with these options reads (relative to the data folder).</summary>
    public static IReadOnlyList<string> SourceFiles(MultiTaskOptions options) =>
        options.SelectedTasks().SelectMany(t => t.Source.Files)
            .Concat(options.DistractorRate > 0 ? Data.DistractorNouns.SourceFiles(TaskCatalog.All) : [])
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();

    /// <summary>The examples of epoch <paramref name="epoch"/> (0-based), shuffled across tasks.</summary>
    public IReadOnlyList<TrainingExample> Epoch(int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        var examples = new List<TrainingExample>(ExamplesPerEpoch);
        for (var t = 0; t < Partitions.Count; t++)
            examples.AddRange(TaskEpoch(t, epoch));
        SplitMix64Random.Stream(Options.Seed, "mixture", "epoch", epoch).Shuffle(examples);
        return examples;
    }

    /// <summary>Epochs 0..count-1 one after another: one list for a trainer that makes a single pass.</summary>
    public IReadOnlyList<TrainingExample> Epochs(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        return Enumerable.Range(0, count).SelectMany(Epoch).ToArray();
    }

    /// <summary>One example per validation record, in task order (no distractors).</summary>
    public IReadOnlyList<TrainingExample> Validation()
    {
        var examples = new List<TrainingExample>();
        for (var t = 0; t < Partitions.Count; t++)
        {
            var random = SplitMix64Random.Stream(Options.Seed, Partitions[t].Task.Name, "validation-instructions");
            examples.AddRange(Partitions[t].Validation.Select(r => _writers[t].Record(r, random)));
        }
        return examples;
    }

    private IEnumerable<TrainingExample> TaskEpoch(int t, int epoch)
    {
        var partition = Partitions[t];
        var share = Shares[t];
        var name = partition.Task.Name;
        var random = SplitMix64Random.Stream(Options.Seed, name, "epoch", epoch);
        var train = partition.Train;
        var perEpoch = share.RecordExamplesPerEpoch;
        var start = (long)epoch * perEpoch;
        int[]? permutation = null;
        var pass = -1L;
        // A stream of its own, so respelling leaves the rest of the mixture (instructions, order) as without it.
        var respelling = Options.FormulaAugmentation > 0 && FormulaRespelling.Applies(partition.Task)
            ? SplitMix64Random.Stream(Options.Seed, name, "respell", epoch)
            : null;
        for (var position = start; position < start + perEpoch; position++)
        {
            if (position / train.Count != pass)
            {
                pass = position / train.Count;
                permutation = Enumerable.Range(0, train.Count).ToArray();
                SplitMix64Random.Stream(Options.Seed, name, "pass", pass).Shuffle(permutation);
            }
            var record = train[permutation![(int)(position % train.Count)]];
            if (respelling is not null && respelling.NextDouble() < Options.FormulaAugmentation)
                record = FormulaRespelling.Respell(record, respelling);
            yield return _writers[t].Record(record, random);
        }
        var distractorRandom = SplitMix64Random.Stream(Options.Seed, name, "distractors", epoch);
        for (var d = 0; d < share.DistractorsPerEpoch; d++)
            yield return _writers[t].Distractor(train, distractorRandom);
    }

    private int IndexOf(TaskPartition partition)
    {
        for (var i = 0; i < Partitions.Count; i++)
            if (ReferenceEquals(Partitions[i], partition)) return i;
        throw new ArgumentException("Not a partition of this mixture.", nameof(partition));
    }
}

using DarwinGrid.Training.Data;
using DarwinGrid.Training.Optimization;
using DarwinGrid.Training.Tokenization;

namespace DarwinGrid.Training.Runs;

/// <summary>One stage's data as trainer records: epoch e on demand (a pure function of e), the validation records, and what the manifest says about them.</summary>
public interface IStageRecords
{
    IReadOnlyList<TrainingRecord> Epoch(int epoch);

    IReadOnlyList<TrainingRecord> Validation { get; }

    /// <summary>The longest example (BOS and EOS included) the stage trains on: the trainer's window.</summary>
    int Window { get; }

    /// <summary>Examples dropped as longer than the window, per epoch tokenized so far.</summary>
    IReadOnlyDictionary<int, int> DroppedPerEpoch { get; }

    /// <summary>Files (by SHA-256), rows per task including the rows skipped as unusable, and token statistics.</summary>
    DatasetManifest Manifest(Vocabulary vocabulary);
}

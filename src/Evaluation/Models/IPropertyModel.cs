using DarwinGrid.Domain.Datasets;
using DarwinGrid.Domain.Tasks;

namespace DarwinGrid.Evaluation.Models;

/// <summary>
/// A model the cross-validation harness can score: fitted on one fold's training records, then
/// asked for the test records. One instance serves one task and fold (the factory makes a fresh one).
/// </summary>
public interface IPropertyModel
{
    string Name { get; }

    /// <summary>Learns from the training part of a fold only (a pretrained model may do nothing).</summary>
    Task FitAsync(PropertyTask task, IReadOnlyList<TaskRecord> trainRecords, CancellationToken cancellationToken);

    /// <summary>
    /// One output per test record, in the same order. A record the model cannot answer gets
    /// <see cref="ModelOutput.Failure"/> rather than an exception, so the others still count.
    /// </summary>
    Task<IReadOnlyList<ModelOutput>> PredictAsync(PropertyTask task, IReadOnlyList<TaskRecord> testRecords, CancellationToken cancellationToken);
}

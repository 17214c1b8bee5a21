using DarwinGrid.Domain.Datasets;
using DarwinGrid.Domain.Tasks;

namespace DarwinGrid.Training.Data;

/// <summary>How one task's records were divided for a training run.</summary>
/// <param name="Loaded">All records the task's data file gave (the folds are computed on these).</param>
/// <param name="TestFold">Records in the selected fold's test part (0 without a fold).</param>
/// <param name="LeakExcluded">Records left out because their input or data row is held out elsewhere (another task's test part or validation, or a duplicate within the task).</param>
/// <param name="Train">Records the mixture draws from.</param>
/// <param name="Validation">Records held out for validation loss.</param>
/// <param name="Skipped">Rows the loader could not use.</param>
public sealed record TaskPartition(
    PropertyTask Task,
    int Loaded,
    int TestFold,
    int LeakExcluded,
    IReadOnlyList<TaskRecord> Train,
    IReadOnlyList<TaskRecord> Validation,
    IReadOnlyList<SkippedRow> Skipped);

using DarwinGrid.Domain.Tasks;
using DarwinGrid.Evaluation.Models;

namespace DarwinGrid.Evaluation.Harness;

/// <summary>
/// One scored test record: the output that counts (the model's, or the dummy's when the model
/// failed) and the failure reason, if any.
/// </summary>
public sealed record PredictionRow(int RowNumber, string Input, TargetValue Actual, ModelOutput Scored, string? Failure)
{
    public bool Failed => Failure is not null;
}

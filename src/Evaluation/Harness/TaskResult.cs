using DarwinGrid.Domain.Tasks;

namespace DarwinGrid.Evaluation.Harness;

/// <summary>All evaluated folds of one task and their summary per metric.</summary>
public sealed record TaskResult(
    string Task,
    TaskKind Kind,
    string Unit,
    int Records,
    string PrimaryMetric,
    IReadOnlyList<FoldResult> Folds,
    IReadOnlyDictionary<string, MetricSummary?> Summary)
{
    public int Failures => Folds.Sum(f => f.Failures);

    public MetricSummary? Primary => Summary.GetValueOrDefault(PrimaryMetric);
}

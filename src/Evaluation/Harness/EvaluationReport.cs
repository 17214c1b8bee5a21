namespace DarwinGrid.Evaluation.Harness;

/// <summary>The result of one cross-validation run of one model.</summary>
public sealed record EvaluationReport(
    string Model,
    string ModelDescription,
    IReadOnlyList<int> Folds,
    int FoldCount,
    long Seed,
    IReadOnlyList<TaskResult> Tasks)
{
    public TaskResult this[string task] =>
        Tasks.FirstOrDefault(t => t.Task == task) ?? throw new KeyNotFoundException($"The report has no task '{task}'.");
}

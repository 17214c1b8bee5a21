using DarwinGrid.Domain.Datasets;
using DarwinGrid.Domain.Tasks;
using DarwinGrid.Evaluation.Models;

namespace DarwinGrid.Evaluation.Baselines;

/// <summary>
/// Matbench's reference floor: the training mean for regression; for classification the class
/// priors of the training part as probabilities (so the predicted class is the majority one, ties
/// going to the lower class index). The harness also uses it to score a failed prediction.
/// </summary>
public sealed class DummyModel : IPropertyModel
{
    public const string ModelName = "dummy";

    private ModelOutput? _answer;

    public string Name => ModelName;

    public Task FitAsync(PropertyTask task, IReadOnlyList<TaskRecord> trainRecords, CancellationToken cancellationToken)
    {
        _answer = Fit(task, trainRecords);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ModelOutput>> PredictAsync(PropertyTask task, IReadOnlyList<TaskRecord> testRecords, CancellationToken cancellationToken)
    {
        var answer = _answer ?? throw new InvalidOperationException($"{ModelName}: predict called before fit (task '{task.Name}').");
        return Task.FromResult<IReadOnlyList<ModelOutput>>(testRecords.Select(_ => answer).ToArray());
    }

    /// <summary>The constant answer for a task learned from <paramref name="trainRecords"/>.</summary>
    public static ModelOutput Fit(PropertyTask task, IReadOnlyList<TaskRecord> trainRecords)
    {
        if (trainRecords.Count == 0)
            throw new ArgumentException($"{ModelName}: no training records for task '{task.Name}'.", nameof(trainRecords));
        if (task.Kind == TaskKind.Regression)
            return ModelOutput.Number(trainRecords.Average(r => r.Target.AsNumber()));

        var counts = new double[task.Classes.Count];
        foreach (var record in trainRecords)
            counts[record.Target.AsClassIndex()]++;
        return ModelOutput.Classes(counts.Select(c => c / trainRecords.Count).ToArray());
    }
}

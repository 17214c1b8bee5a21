using DarwinGrid.Domain.Datasets;
using DarwinGrid.Domain.Predictions;
using DarwinGrid.Domain.Tasks;
using DarwinGrid.Evaluation.Models;

namespace DarwinGrid.Silo.LanguageModelEvaluation;

/// <summary>
/// An <c>llm:</c> spec's model for one task and fold: fitting trains (or reuses, or resumes) the
/// fold's model through <see cref="FoldTraining"/>, on the data selection it makes from the shared
/// data folder with the fold left out; predicting goes through the inference engine as for any GGUF
/// (<see cref="LanguageModelPropertyModel"/>). The harness's training records are not used directly:
/// the training run selects the same fold's training part itself (the same <c>TaskFolds</c> split).
/// </summary>
public sealed class TrainedLanguageModel(
    FoldTraining training, FoldRequest request, NumericEstimate estimate = NumericEstimate.Median, int views = 1, Action<string>? warn = null) : IPropertyModel
{
    private string? _modelPath;

    /// <summary>The spec's name; with the seed when it is not 1 (a member of a seed ensemble, or a single other seed).</summary>
    public string Name => training.Seed == 1 ? training.Spec.Name : EnsembleSeeds.MemberName(training.Spec.Name, training.Seed);

    /// <summary>The trained model's path once fitted.</summary>
    public string? ModelPath => _modelPath;

    public async Task FitAsync(PropertyTask task, IReadOnlyList<TaskRecord> trainRecords, CancellationToken cancellationToken)
    {
        if (task != request.Task) throw new ArgumentException($"This model was made for {request.Task.Name}, not {task.Name}.", nameof(task));
        // Training is synchronous CPU work; off the caller's thread so the harness stays responsive to cancellation.
        _modelPath = await Task.Run(() => training.EnsureModel(request, cancellationToken), cancellationToken);
    }

    public Task<IReadOnlyList<ModelOutput>> PredictAsync(PropertyTask task, IReadOnlyList<TaskRecord> testRecords, CancellationToken cancellationToken)
    {
        var path = _modelPath ?? throw new InvalidOperationException($"{Name}: predict called before fit ({task.Name} fold {request.Fold}).");
        return new LanguageModelPropertyModel(path, Name, estimate: estimate, views: views, warn: warn).PredictAsync(task, testRecords, cancellationToken);
    }
}

using DarwinGrid.Domain.Tasks;

namespace DarwinGrid.Evaluation.Models;

/// <summary>
/// What a model instance is made for: one task and fold of a cross-validation run. Models that
/// train on more than the one task (a multi-task language model) also need the run's other tasks
/// and a place for their training output, shared by the tasks of one fold.
/// </summary>
/// <param name="Task">The task this instance fits and predicts.</param>
/// <param name="Fold">The fold index (0-4): its test part must not be trained on.</param>
/// <param name="Tasks">Every task of the run, in the order given.</param>
/// <param name="OutputDirectory">The run's output folder.</param>
public sealed record FoldRequest(PropertyTask Task, int Fold, IReadOnlyList<PropertyTask> Tasks, string OutputDirectory);

namespace DarwinGrid.Evaluation.Models;

/// <summary>A named model and how to make a fresh instance of it for a task and fold.</summary>
/// <param name="Name">Stable name used in reports and default output folders, e.g. <c>magpie-gbt</c>.</param>
/// <param name="Description">One line for reports: what the model is and its fixed settings.</param>
/// <param name="PredictionsVariant">
/// Set when the same model can answer in several ways (a language model's greedy or mean estimate):
/// its predictions files get their own names, so a run never resumes another way's answers.
/// </param>
public sealed record ModelSpec(string Name, string Description, Func<FoldRequest, IPropertyModel> Create, string? PredictionsVariant = null);

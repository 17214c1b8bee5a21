using DarwinGrid.Grains.Models;

namespace DarwinGrid.Grains.Storage;

/// <summary>A campaign candidate: its position in the campaign, the text as given, its canonical composition.</summary>
public sealed record CandidateRow(long Index, string Input, string Composition);

/// <summary>The answer for one (candidate, task, model version) of a campaign; <paramref name="Cached"/>: taken from the prediction cache.</summary>
public sealed record ResultRow(long CandidateIndex, Prediction Prediction, bool Cached = false);

/// <summary>A prediction-cache entry; the task and model version are the prediction's, the estimate the one it was asked for.</summary>
public sealed record CachedPrediction(string Composition, Prediction Prediction, PredictionEstimate Estimate);

/// <summary>A task and the model version whose answers a campaign uses for it.</summary>
public sealed record TaskModel(string Task, string ModelVersion);

/// <summary>
/// Progress of one task rebuilt from the results table. <paramref name="Done"/> counts every stored
/// answer (failed and cached included), as <see cref="Campaigns.TaskProgress"/> does.
/// </summary>
public sealed record TaskCounts(long Done, long Failed, long Cached);

/// <summary>The key of a result row.</summary>
public sealed record ResultKey(long CandidateIndex, string Task, string ModelVersion);

/// <summary>
/// What a results query ranges over: the campaign's tasks with their model versions (the columns of
/// the pivot) and the campaign's own filters (they decide <see cref="Campaigns.CandidateResult.PassesFilters"/>).
/// </summary>
public sealed record ResultScope(IReadOnlyList<TaskModel> Tasks, IReadOnlyList<Campaigns.PropertyFilter> CampaignFilters);

/// <summary>One candidate with everything stored about it, as the export streams it.</summary>
public sealed record StoredCandidate(
    long Index,
    string Input,
    string Composition,
    double? Score,
    int? ParetoRank,
    IReadOnlyList<ResultRow> Results);

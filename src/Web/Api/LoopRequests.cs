namespace DarwinGrid.Web.Api;

/// <summary>
/// <c>POST /api/campaigns/{id}/loop/proposals</c>: <c>n</c> candidates by <c>rule</c> (poi, ei or ucb),
/// <c>diversity</c> the penalty weight (default 0.3, 0 = plain top n), <c>objective</c> the task EI/UCB
/// score (default the campaign's first numeric objective).
/// </summary>
public sealed record ProposeRequest(int? N, string? Rule, double? Diversity = null, string? Objective = null);

/// <summary><c>POST /api/campaigns/{id}/loop/updates</c>: optimizer steps of the LoRA run, and the trainer recipe (default the version's own).</summary>
public sealed record UpdateRequest(int? Steps = null, string? Preset = null);

/// <summary><c>POST /api/campaigns/{id}/loop/rescreen</c>: the version to switch to (default the last completed update's).</summary>
public sealed record RescreenRequest(string? Model = null);

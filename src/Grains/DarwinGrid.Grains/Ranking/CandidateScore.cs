namespace DarwinGrid.Grains.Ranking;

/// <summary>A candidate's place in the ranking: higher <paramref name="Score"/> is better; Pareto rank 0 is the front. Null: an objective is missing.</summary>
public sealed record CandidateScore(long CandidateIndex, double? Score, int? ParetoRank);

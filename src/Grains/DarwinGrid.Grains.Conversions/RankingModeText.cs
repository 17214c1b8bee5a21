namespace DarwinGrid.Grains.Campaigns;

/// <summary>
/// A ranking mode as the CLI (<c>--rank</c>), REST (<c>rank</c>) and the dashboard write it:
/// <c>score</c> (weighted objectives, the default), <c>pareto</c> (Pareto fronts) or <c>success</c>
/// (the probability of passing every filter).
/// </summary>
public static class RankingModeText
{
    public const string Names = "score|pareto|success";

    public static bool TryParse(string? text, out RankingMode mode)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "score" or "weighted": mode = RankingMode.WeightedScore; return true;
            case "pareto": mode = RankingMode.Pareto; return true;
            case "success" or "probability-of-success": mode = RankingMode.ProbabilityOfSuccess; return true;
            default: mode = RankingMode.WeightedScore; return false;
        }
    }

    public static RankingMode Parse(string? text) =>
        TryParse(text, out var mode) ? mode : throw new ArgumentException($"Unknown ranking '{text}'; expected {Names}.");

    public static string Name(this RankingMode mode) => mode switch
    {
        RankingMode.WeightedScore => "score",
        RankingMode.Pareto => "pareto",
        RankingMode.ProbabilityOfSuccess => "success",
        _ => mode.ToString(),
    };
}

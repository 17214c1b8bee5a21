namespace DarwinGrid.Domain.Acquisition;

/// <summary>How a campaign chooses the candidates to make next from the model's distributions.</summary>
public enum AcquisitionRule
{
    /// <summary>Probability of success: every filter met.</summary>
    Poi = 0,
    /// <summary>Expected improvement over the best measured value of an objective.</summary>
    Ei = 1,
    /// <summary>Upper confidence bound: the objective's value at an optimistic quantile.</summary>
    Ucb = 2,
}

public static class AcquisitionRules
{
    public const string Names = "poi|ei|ucb";

    public static AcquisitionRule Parse(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "poi" => AcquisitionRule.Poi,
        "ei" => AcquisitionRule.Ei,
        "ucb" => AcquisitionRule.Ucb,
        _ => throw new ArgumentException($"Unknown acquisition rule '{text}'; expected {Names}."),
    };

    public static string Name(this AcquisitionRule rule) => rule.ToString().ToLowerInvariant();
}

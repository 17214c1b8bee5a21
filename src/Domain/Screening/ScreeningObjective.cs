namespace DarwinGrid.Domain.Screening;

public enum ScreeningGoal
{
    Maximize,
    Minimize,
    /// <summary>Closest to <see cref="ScreeningObjective.Target"/> first.</summary>
    Target,
}

/// <summary>
/// One ranking term: <c>maximize band_gap</c>, <c>band_gap target 1.4 *2</c>, <c>maximize is_metal:false</c>.
/// For a classification task the value ranked is the probability of <see cref="Label"/> (always set:
/// the positive class of a binary task when the text names none).
/// </summary>
public sealed record ScreeningObjective(string Task, ScreeningGoal Goal, double? Target = null, double Weight = 1.0, string? Label = null)
{
    public override string ToString()
    {
        var subject = Label is null ? Task : $"{Task}:{Label}";
        var text = Goal switch
        {
            ScreeningGoal.Maximize => $"maximize {subject}",
            ScreeningGoal.Minimize => $"minimize {subject}",
            _ => $"{subject} target {ScreeningFilter.Format(Target)}",
        };
        return Weight == 1.0 ? text : $"{text} *{ScreeningFilter.Format(Weight)}";
    }
}

using DarwinGrid.Domain.Screening;

namespace DarwinGrid.Domain.Acquisition;

/// <summary>Orders values by an objective: "badness" is lower for better values whatever the goal.</summary>
public static class GoalOrder
{
    public static double Badness(ScreeningGoal goal, double? target, double value) => goal switch
    {
        ScreeningGoal.Maximize => -value,
        ScreeningGoal.Minimize => value,
        _ => Math.Abs(value - (target ?? throw new ArgumentException("A target objective needs its target value.", nameof(target)))),
    };
}

using DarwinGrid.Domain.Screening;

namespace DarwinGrid.Grains.Campaigns;

/// <summary>Filters and objectives as <see cref="ScreeningParser"/> reads them from text, in the grain API's records.</summary>
public static class ScreeningConversion
{
    public static PropertyFilter ToFilter(ScreeningFilter filter) => new(filter.Task, filter.Operator switch
    {
        ScreeningFilterOperator.Between => FilterOperator.Between,
        ScreeningFilterOperator.AtLeast => FilterOperator.AtLeast,
        ScreeningFilterOperator.AtMost => FilterOperator.AtMost,
        ScreeningFilterOperator.Is => FilterOperator.Is,
        ScreeningFilterOperator.IsNot => FilterOperator.IsNot,
        _ => throw new ArgumentOutOfRangeException(nameof(filter), filter.Operator, "Unknown filter operator."),
    }, filter.Low, filter.High, filter.Label);

    public static Objective ToObjective(ScreeningObjective objective) => new(objective.Task, objective.Goal switch
    {
        ScreeningGoal.Maximize => ObjectiveGoal.Maximize,
        ScreeningGoal.Minimize => ObjectiveGoal.Minimize,
        ScreeningGoal.Target => ObjectiveGoal.Target,
        _ => throw new ArgumentOutOfRangeException(nameof(objective), objective.Goal, "Unknown goal."),
    }, objective.Target, objective.Weight, objective.Label);
}

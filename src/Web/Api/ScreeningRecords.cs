using DarwinGrid.Domain.Candidates;
using DarwinGrid.Domain.Screening;
using DarwinGrid.Grains.Campaigns;

namespace DarwinGrid.Web.Api;

/// <summary>
/// Filters, objectives and generator specs as the domain parsers read them, in the grain API's records.
/// (The same mapping as the grain project's ScreeningConversion / GeneratorSpecConversion, which this
/// client-side library cannot reference without pulling in the grains and the inference engine.)
/// </summary>
public static class ScreeningRecords
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

    public static CandidateGeneratorSpec ToGenerator(CandidateGenerationSpec spec) => new(
        spec.Template,
        [.. spec.Sites.Select(s => new GeneratorSite(s.Name, [.. s.Elements.Select(e => e.Symbol)]))],
        spec.RequireChargeNeutral,
        [.. spec.Variables.Select(v => new DopingVariable(v.Name, (double)v.From, (double)v.To, (double)v.Step))],
        spec.Limit,
        spec.DistinctElements);
}

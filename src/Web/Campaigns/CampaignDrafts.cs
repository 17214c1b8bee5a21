using DarwinGrid.Grains.Campaigns;

namespace DarwinGrid.Web.Campaigns;

public enum CandidateInputKind
{
    Upload = 0,
    Paste = 1,
    Generator = 2,
}

/// <summary>A filter row of the form; turned into a <see cref="PropertyFilter"/> when the campaign is created.</summary>
public sealed class FilterDraft
{
    public string Task { get; set; } = "";
    public FilterOperator Operator { get; set; } = FilterOperator.Between;
    public double? Low { get; set; }
    public double? High { get; set; }
    public string? Label { get; set; }

    public PropertyFilter ToFilter() => Operator switch
    {
        FilterOperator.Between => new PropertyFilter(Task, Operator, Low, High),
        FilterOperator.AtLeast => new PropertyFilter(Task, Operator, Low),
        FilterOperator.AtMost => new PropertyFilter(Task, Operator, High: High),
        _ => new PropertyFilter(Task, Operator, Label: Label),
    };
}

/// <summary>An objective row of the form.</summary>
public sealed class ObjectiveDraft
{
    public string Task { get; set; } = "";
    public ObjectiveGoal Goal { get; set; } = ObjectiveGoal.Maximize;
    public double? Target { get; set; }
    public double Weight { get; set; } = 1;

    public Objective ToObjective() => new(Task, Goal, Goal == ObjectiveGoal.Target ? Target : null, Weight);
}

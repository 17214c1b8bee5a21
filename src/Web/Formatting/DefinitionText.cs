using DarwinGrid.Grains.Campaigns;

namespace DarwinGrid.Web.Formatting;

/// <summary>A campaign definition's parts in words: "Band gap between 1.1 and 1.8 eV", "maximize Band gap".</summary>
public static class DefinitionText
{
    public static string Filter(PropertyFilter filter)
    {
        var name = PropertyNames.Display(filter.Task);
        var unit = PropertyNames.Unit(filter.Task);
        // A numeric bound on a classification task bounds the positive class's probability.
        var subject = PropertyNames.IsRegression(filter.Task) || filter.Operator is FilterOperator.Is or FilterOperator.IsNot ? name : $"P({name})";
        return filter.Operator switch
        {
            FilterOperator.Between => $"{subject} between {Numbers.Value(filter.Low ?? 0)} and {Numbers.Value(filter.High ?? 0, unit)}",
            FilterOperator.AtLeast => $"{subject} ≥ {Numbers.Value(filter.Low ?? 0, unit)}",
            FilterOperator.AtMost => $"{subject} ≤ {Numbers.Value(filter.High ?? 0, unit)}",
            FilterOperator.Is => $"{subject} is {filter.Label}",
            _ => $"{subject} is not {filter.Label}",
        };
    }

    public static string Objective(Objective objective, bool showWeight)
    {
        var name = PropertyNames.Display(objective.Task);
        var subject = objective.Label is null ? name : $"P({name} = {objective.Label})";
        var text = objective.Goal switch
        {
            ObjectiveGoal.Maximize => $"maximize {subject}",
            ObjectiveGoal.Minimize => $"minimize {subject}",
            _ => $"{subject} closest to {Numbers.Value(objective.Target ?? 0, PropertyNames.Unit(objective.Task))}",
        };
        return showWeight && objective.Weight != 1 ? $"{text} (weight {Numbers.Value(objective.Weight)})" : text;
    }

    public static string Source(CandidateSource source) => source.Kind switch
    {
        CandidateSourceKind.CsvFile => $"CSV file {source.CsvPath} (column {source.CsvColumn})",
        CandidateSourceKind.Generator when source.Generator is { } generator => Generator(generator),
        _ => "uploaded or pasted list",
    };

    private static string Generator(CandidateGeneratorSpec spec)
    {
        var parts = new List<string> { spec.Template };
        parts.AddRange((spec.Sites.IsDefault ? [] : spec.Sites).Select(s => $"{s.Placeholder}={string.Join(",", s.Elements)}"));
        parts.AddRange((spec.Variables.IsDefault ? [] : spec.Variables).Select(v => $"{v.Name}={v.From}..{v.To}:{v.Step}"));
        if (spec.RequireChargeNeutral)
            parts.Add("neutral");
        if (spec.DistinctElements)
            parts.Add("distinct");
        if (spec.Limit is { } limit)
            parts.Add($"limit={limit}");
        return "generator " + string.Join("; ", parts);
    }
}

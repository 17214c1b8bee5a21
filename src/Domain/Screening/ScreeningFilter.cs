using System.Globalization;

namespace DarwinGrid.Domain.Screening;

public enum ScreeningFilterOperator
{
    /// <summary>Low ≤ value ≤ High.</summary>
    Between,
    /// <summary>value ≥ Low.</summary>
    AtLeast,
    /// <summary>value ≤ High.</summary>
    AtMost,
    /// <summary>The predicted class is Label.</summary>
    Is,
    /// <summary>The predicted class is not Label.</summary>
    IsNot,
}

/// <summary>
/// A condition on one predicted property: <c>band_gap between 1.1 and 1.8</c>, <c>is_metal = false</c>.
/// <see cref="Task"/> is the catalog name; <see cref="Label"/> the class's canonical name
/// (<see cref="Tasks.ClassLabel.Name"/>). <see cref="ToString"/> writes text <see cref="ScreeningParser"/> reads back.
/// </summary>
public sealed record ScreeningFilter(string Task, ScreeningFilterOperator Operator, double? Low = null, double? High = null, string? Label = null)
{
    public override string ToString() => Operator switch
    {
        ScreeningFilterOperator.Between => $"{Task} between {Format(Low)} and {Format(High)}",
        ScreeningFilterOperator.AtLeast => $"{Task} >= {Format(Low)}",
        ScreeningFilterOperator.AtMost => $"{Task} <= {Format(High)}",
        ScreeningFilterOperator.Is => $"{Task} is {Label}",
        _ => $"{Task} is not {Label}",
    };

    internal static string Format(double? value) => value?.ToString("R", CultureInfo.InvariantCulture) ?? "?";
}

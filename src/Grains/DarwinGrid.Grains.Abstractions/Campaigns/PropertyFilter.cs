namespace DarwinGrid.Grains.Campaigns;

public enum FilterOperator
{
    Between = 0,
    AtLeast = 1,
    AtMost = 2,
    /// <summary>A classification task's predicted label equals <see cref="PropertyFilter.Label"/>.</summary>
    Is = 3,
    IsNot = 4,
}

/// <summary>A condition on one predicted property, e.g. band gap between 1.1 and 1.8 eV, or not a metal.</summary>
[GenerateSerializer, Immutable]
public sealed record PropertyFilter(
    [property: Id(0)] string Task,
    [property: Id(1)] FilterOperator Operator,
    [property: Id(2)] double? Low = null,
    [property: Id(3)] double? High = null,
    [property: Id(4)] string? Label = null);

namespace DarwinGrid.Web.Charts;

/// <summary>Which way is better on one axis of a scatter plot.</summary>
public sealed record AxisGoal(bool Maximize, double? Target = null)
{
    public static AxisGoal Maximizing { get; } = new(true);

    /// <summary>The value turned into "larger is better".</summary>
    public double Utility(double value) => Target is { } target ? -Math.Abs(value - target) : Maximize ? value : -value;

    public string Describe(string unit) => Target is { } target
        ? $"target {Formatting.Numbers.Value(target, unit)}"
        : Maximize ? "higher is better" : "lower is better";
}

/// <summary>One candidate on a scatter plot; the optional bounds are its prediction intervals, drawn as error bars.</summary>
public readonly record struct ScatterPoint(string Label, double X, double Y, Interval? XInterval = null, Interval? YInterval = null);

/// <summary>A prediction's central interval.</summary>
public readonly record struct Interval(double Low, double High);

/// <summary>The non-dominated points of two objectives (no other point at least as good on both and better on one).</summary>
public static class ParetoFront
{
    /// <summary>Indexes of the front's points, ordered by x.</summary>
    public static IReadOnlyList<int> Of(IReadOnlyList<ScatterPoint> points, AxisGoal x, AxisGoal y)
    {
        // Sort by x utility descending (ties: y descending); a point is on the front when its y
        // utility beats every point before it. O(n log n).
        var order = Enumerable.Range(0, points.Count)
            .OrderByDescending(i => x.Utility(points[i].X))
            .ThenByDescending(i => y.Utility(points[i].Y))
            .ToArray();
        var front = new List<int>();
        var bestY = double.NegativeInfinity;
        double? previousX = null;
        double previousY = double.NegativeInfinity;
        foreach (var i in order)
        {
            var ux = x.Utility(points[i].X);
            var uy = y.Utility(points[i].Y);
            // Equal on both axes to the last front point: equally good, also non-dominated.
            if (uy > bestY || (previousX == ux && previousY == uy))
            {
                front.Add(i);
                bestY = Math.Max(bestY, uy);
                previousX = ux;
                previousY = uy;
            }
        }
        return [.. front.OrderBy(i => points[i].X)];
    }
}

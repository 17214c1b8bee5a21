namespace DarwinGrid.Grains.Ranking;

/// <summary>
/// Non-dominated sorting (every coordinate: higher is better). Rank 0 is the Pareto front, rank k
/// holds the points dominated only by points of ranks below k. Equal points share a rank.
/// </summary>
/// <remarks>
/// Efficient non-dominated sort with binary search over fronts (Zhang et al. 2015): points are
/// visited in descending lexicographic order, so no later point can dominate an earlier one, and a
/// point joins the first front none of whose members dominates it; "front k dominates p" is
/// monotone in k, hence the binary search. With two objectives each front's last member has the
/// front's highest second coordinate, so one comparison decides per front: O(n log n) overall.
/// More objectives scan the front (O(m n²) worst case, far less on typical data) in O(n) memory.
/// </remarks>
public static class ParetoSorter
{
    public static int[] Ranks(IReadOnlyList<double[]> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count == 0)
            return [];
        var dimensions = points[0].Length;
        if (dimensions == 0)
            throw new ArgumentException("Points need at least one coordinate.", nameof(points));
        for (var i = 0; i < points.Count; i++)
        {
            if (points[i].Length != dimensions)
                throw new ArgumentException($"Point {i} has {points[i].Length} coordinates, expected {dimensions}.", nameof(points));
            if (Array.Exists(points[i], double.IsNaN))
                throw new ArgumentException($"Point {i} has a NaN coordinate.", nameof(points));
        }

        var order = new int[points.Count];
        for (var i = 0; i < order.Length; i++)
            order[i] = i;
        Array.Sort(order, (a, b) =>
        {
            for (var d = 0; d < dimensions; d++)
            {
                var c = points[b][d].CompareTo(points[a][d]);
                if (c != 0)
                    return c;
            }
            return a.CompareTo(b);
        });

        var ranks = new int[points.Count];
        var fronts = new List<List<int>>();
        foreach (var p in order)
        {
            int low = 0, high = fronts.Count;
            while (low < high)
            {
                var middle = (low + high) >>> 1;
                if (FrontDominates(points, fronts[middle], points[p], dimensions))
                    low = middle + 1;
                else
                    high = middle;
            }
            if (low == fronts.Count)
                fronts.Add([]);
            fronts[low].Add(p);
            ranks[p] = low;
        }
        return ranks;
    }

    /// <summary>True when <paramref name="a"/> is at least as good everywhere and better somewhere.</summary>
    public static bool Dominates(double[] a, double[] b)
    {
        var strictly = false;
        for (var d = 0; d < a.Length; d++)
        {
            if (a[d] < b[d])
                return false;
            if (a[d] > b[d])
                strictly = true;
        }
        return strictly;
    }

    private static bool FrontDominates(IReadOnlyList<double[]> points, List<int> front, double[] point, int dimensions)
    {
        if (dimensions <= 2)
            return Dominates(points[front[^1]], point);
        for (var i = front.Count - 1; i >= 0; i--)
        {
            if (Dominates(points[front[i]], point))
                return true;
        }
        return false;
    }
}

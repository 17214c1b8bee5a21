namespace DarwinGrid.Grains.Training;

/// <summary>
/// Keeps a persisted loss curve bounded: every epoch point, and step points on a stride that doubles
/// (dropping every other kept step) whenever the curve outgrows its budget. A 16-epoch mini run has
/// ~16k steps; its stored curve stays at most <c>maxPoints</c> long, evenly spaced.
/// </summary>
internal static class LossCurveThinning
{
    /// <returns>The stride to use from now on.</returns>
    public static int Add(List<LossPoint> curve, int stride, LossPoint point, int maxPoints)
    {
        stride = Math.Max(1, stride);
        var isEpoch = point.ValidationLoss is not null;
        if (!isEpoch && point.Step % stride != 0)
            return stride;
        curve.Add(point);
        while (curve.Count > Math.Max(2, maxPoints) && curve.Any(p => p.ValidationLoss is null))
        {
            stride *= 2;
            var keep = stride;
            curve.RemoveAll(p => p.ValidationLoss is null && p.Step % keep != 0);
            if (stride > 1 << 24)
                break;
        }
        return stride;
    }
}

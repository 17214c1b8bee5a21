namespace DarwinGrid.Domain.Metrics;

/// <summary>Scores for class predictions. Classes are indices (binary: 1 = positive).</summary>
public static class ClassificationMetrics
{
    public static double Accuracy(IReadOnlyList<int> actual, IReadOnlyList<int> predicted)
    {
        MetricArguments.CheckPaired(actual, predicted, "Accuracy");
        return (double)actual.Where((a, i) => a == predicted[i]).Count() / actual.Count;
    }

    /// <summary>Mean recall over the classes present in <paramref name="actual"/> (Matbench's metric for its classification tasks).</summary>
    public static double BalancedAccuracy(IReadOnlyList<int> actual, IReadOnlyList<int> predicted)
    {
        MetricArguments.CheckPaired(actual, predicted, "Balanced accuracy");
        return actual.Select((a, i) => (Actual: a, Hit: a == predicted[i]))
            .GroupBy(p => p.Actual)
            .Average(g => (double)g.Count(p => p.Hit) / g.Count());
    }

    /// <summary>F1 of the positive class. Undefined when neither the data nor the predictions contain a positive.</summary>
    public static double F1(IReadOnlyList<bool> actual, IReadOnlyList<bool> predicted)
    {
        MetricArguments.CheckPaired(actual, predicted, "F1");
        var (truePositives, falsePositives, falseNegatives) = Counts(actual, predicted);
        if (truePositives + falsePositives + falseNegatives == 0)
            throw new ArgumentException("F1: no positive in the actual values or the predictions; F1 is undefined.", nameof(actual));
        return 2.0 * truePositives / (2 * truePositives + falsePositives + falseNegatives);
    }

    /// <summary>Unweighted mean of per-class F1 over every class that occurs in the data or the predictions.</summary>
    public static double MacroF1(IReadOnlyList<int> actual, IReadOnlyList<int> predicted)
    {
        MetricArguments.CheckPaired(actual, predicted, "Macro F1");
        return actual.Concat(predicted).Distinct()
            .Average(c => F1(actual.Select(a => a == c).ToArray(), predicted.Select(p => p == c).ToArray()));
    }

    /// <summary>
    /// Area under the ROC curve from scores (higher = more positive), as the Mann-Whitney statistic:
    /// (sum of positive ranks - P(P+1)/2) / (P N), tied scores sharing their average rank, so a
    /// tie between a positive and a negative counts one half.
    /// </summary>
    public static double RocAuc(IReadOnlyList<bool> actual, IReadOnlyList<double> scores)
    {
        MetricArguments.CheckPaired(actual, scores, "ROC-AUC");
        MetricArguments.CheckFinite(scores, nameof(scores), "ROC-AUC");
        var positives = actual.Count(a => a);
        var negatives = actual.Count - positives;
        if (positives == 0 || negatives == 0)
            throw new ArgumentException(
                $"ROC-AUC: the actual values contain only {(positives == 0 ? "negatives" : "positives")}; it needs both classes.",
                nameof(actual));

        var order = Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]).ToArray();
        var positiveRankSum = 0.0;
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && scores[order[end + 1]] == scores[order[start]])
                end++;
            var averageRank = (start + end) / 2.0 + 1; // ranks are 1-based
            for (var k = start; k <= end; k++)
            {
                if (actual[order[k]])
                    positiveRankSum += averageRank;
            }
            start = end + 1;
        }
        return (positiveRankSum - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }

    private static (int TruePositives, int FalsePositives, int FalseNegatives) Counts(
        IReadOnlyList<bool> actual, IReadOnlyList<bool> predicted)
    {
        int tp = 0, fp = 0, fn = 0;
        for (var i = 0; i < actual.Count; i++)
        {
            if (actual[i] && predicted[i]) tp++;
            else if (!actual[i] && predicted[i]) fp++;
            else if (actual[i] && !predicted[i]) fn++;
        }
        return (tp, fp, fn);
    }
}

using System.Collections.Immutable;

namespace DarwinGrid.Grains.Loop;

/// <summary>
/// Every measured row beside the prediction it was compared with at upload: the round that proposed
/// the composition (the last before the upload), and whether the value fell inside the predicted range.
/// </summary>
public static class MeasuredComparison
{
    public static ImmutableArray<MeasuredVsPredicted> Of(IEnumerable<StoredLabDataset> datasets, IReadOnlyList<LoopProposal> proposals)
    {
        var rows = ImmutableArray.CreateBuilder<MeasuredVsPredicted>();
        foreach (var dataset in datasets)
        {
            foreach (var row in dataset.Rows)
            {
                var round = proposals.LastOrDefault(p => p.CreatedAt <= dataset.Info.UploadedAt && p.Candidates.Any(c => c.Composition == row.Composition))?.Round;
                bool? inside = row.Value is { } v && row.Predicted is { Low: { } low, High: { } high } ? v >= low && v <= high : null;
                rows.Add(new MeasuredVsPredicted(row.Composition, row.Task, row.Value, row.Label, row.Conditions, dataset.Info.Version, round, row.Predicted, inside));
            }
        }
        return rows.ToImmutable();
    }
}

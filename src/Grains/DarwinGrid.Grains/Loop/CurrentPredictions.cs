using DarwinGrid.Grains.Models;
using DarwinGrid.Grains.Storage;

namespace DarwinGrid.Grains.Loop;

/// <summary>A stored candidate's predictions by the campaign's current model version of each task (older versions' rows are history).</summary>
public static class CurrentPredictions
{
    public static Dictionary<string, Prediction> Of(StoredCandidate candidate, IReadOnlyDictionary<string, string> versions)
    {
        var predictions = new Dictionary<string, Prediction>(StringComparer.Ordinal);
        foreach (var row in candidate.Results)
        {
            if (versions.TryGetValue(row.Prediction.Task, out var version) && row.Prediction.ModelVersion == version)
                predictions[row.Prediction.Task] = row.Prediction;
        }
        return predictions;
    }
}

using DarwinGrid.Grains.Models;

namespace DarwinGrid.Grains.Storage;

// The prediction cache shared by all campaigns, keyed (task, model version, estimate, composition).
public abstract partial class SqlResultStore
{
    private static readonly IComparer<(string, string, string, string)> OrdinalCacheKey = Comparer<(string, string, string, string)>.Create((a, b) =>
        string.CompareOrdinal(a.Item1, b.Item1) is var c1 and not 0 ? c1
        : string.CompareOrdinal(a.Item2, b.Item2) is var c2 and not 0 ? c2
        : string.CompareOrdinal(a.Item3, b.Item3) is var c3 and not 0 ? c3
        : string.CompareOrdinal(a.Item4, b.Item4));

    public async Task<IReadOnlyDictionary<string, Prediction>> GetCachedPredictionsAsync(
        string task, string modelVersion, PredictionEstimate estimate, IReadOnlyCollection<string> compositions, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(task);
        ArgumentException.ThrowIfNullOrWhiteSpace(modelVersion);
        ArgumentNullException.ThrowIfNull(compositions);
        if (compositions.Count == 0)
            return new Dictionary<string, Prediction>(StringComparer.Ordinal);
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        var wanted = _dialect.ListValue(compositions.Distinct(StringComparer.Ordinal));
        var rows = await _database.RunAsync("prediction cache lookup", (connection, ct) =>
            connection.Command($"""
                    SELECT composition, {PredictionColumns.Names} FROM prediction_cache
                    WHERE task = @task AND model_version = @version AND estimate = @estimate AND {_dialect.IsIn("composition", "@compositions")};
                    """)
                .With("@task", task).With("@version", modelVersion).With("@estimate", estimate.Name()).With("@compositions", wanted)
                .ListAndDisposeAsync(reader => (Composition: reader.GetString(0), Prediction: PredictionColumns.Read(reader, 1, task, modelVersion)), ct),
            cancellationToken).ConfigureAwait(false);
        var found = new Dictionary<string, Prediction>(rows.Count, StringComparer.Ordinal);
        foreach (var (composition, prediction) in rows)
            found[composition] = prediction;
        return found;
    }

    public Task UpsertPredictionsAsync(IReadOnlyList<CachedPrediction> predictions, CancellationToken cancellationToken = default)
    {
        for (var i = 0; i < (predictions?.Count ?? 0); i++)
            RequirePrediction(predictions![i]?.Prediction, $"Cached prediction {i} of the batch", predictions[i]?.Composition);
        return WriteInBatchesAsync(null, "prediction cache upsert", predictions!, (connection, transaction, _, slice, ct) =>
        {
            var rows = LastPerKeyInKeyOrder(slice, r => (r.Prediction.Task, r.Prediction.ModelVersion, r.Estimate.Name(), r.Composition), OrdinalCacheKey);
            return _dialect.UpsertAsync(connection, transaction,
                new BulkUpsert("prediction_cache",
                        $"(task, model_version, estimate, composition) DO UPDATE SET {PredictionColumns.UpdateFromExcluded}, updated_at = excluded.updated_at")
                    .Column("task", rows.ConvertAll(r => r.Prediction.Task).ToArray())
                    .Column("model_version", rows.ConvertAll(r => r.Prediction.ModelVersion).ToArray())
                    .Column("estimate", rows.ConvertAll(r => r.Estimate.Name()).ToArray())
                    .Column("composition", rows.ConvertAll(r => r.Composition).ToArray())
                    .Columns(rows.ConvertAll(r => r.Prediction))
                    .Constant("updated_at", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()), ct);
        }, cancellationToken);
    }

    /// <summary>Rejects a row the tables cannot hold, naming it.</summary>
    private static void RequirePrediction(Prediction? prediction, string what, string? key)
    {
        if (key is not null && key.Length == 0 || prediction is null || string.IsNullOrWhiteSpace(prediction.Task)
            || string.IsNullOrWhiteSpace(prediction.ModelVersion) || prediction.RawAnswer is null)
            throw new ArgumentException($"{what} ({key}) needs a key, a prediction with a task and a model version, and a raw answer (may be empty).");
    }
}

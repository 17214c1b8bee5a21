using DarwinGrid.Grains.Models;

namespace DarwinGrid.Grains.Storage;

// The prediction cache shared by all campaigns, keyed (task, model version, estimate, composition).
public sealed partial class SqliteResultStore
{
    public async Task<IReadOnlyDictionary<string, Prediction>> GetCachedPredictionsAsync(
        string task, string modelVersion, PredictionEstimate estimate, IReadOnlyCollection<string> compositions, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(task);
        ArgumentException.ThrowIfNullOrWhiteSpace(modelVersion);
        ArgumentNullException.ThrowIfNull(compositions);
        if (compositions.Count == 0)
            return new Dictionary<string, Prediction>(StringComparer.Ordinal);
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        return await _database.RunAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"""
                SELECT composition, {PredictionColumns.Names} FROM prediction_cache
                WHERE task = @task AND model_version = @version AND estimate = @estimate AND {SqliteDialect.Instance.IsIn("composition", "@compositions")};
                """;
            command.Parameters.AddWithValue("@task", task);
            command.Parameters.AddWithValue("@version", modelVersion);
            command.Parameters.AddWithValue("@estimate", estimate.Name());
            command.Parameters.AddWithValue("@compositions", SqliteDialect.Instance.ListValue(compositions.Distinct(StringComparer.Ordinal)));
            using var reader = command.ExecuteReader();
            var found = new Dictionary<string, Prediction>(StringComparer.Ordinal);
            while (reader.Read())
                found[reader.GetString(0)] = PredictionColumns.Read(reader, 1, task, modelVersion);
            return (IReadOnlyDictionary<string, Prediction>)found;
        }, cancellationToken).ConfigureAwait(false);
    }

    public Task UpsertPredictionsAsync(IReadOnlyList<CachedPrediction> predictions, CancellationToken cancellationToken = default)
    {
        for (var i = 0; i < (predictions?.Count ?? 0); i++)
            RequirePrediction(predictions![i]?.Prediction, $"Cached prediction {i} of the batch", predictions[i]?.Composition);
        return WriteInBatchesAsync(null, predictions!, (connection, transaction, _, rows, from, to) =>
        {
            using var command = new BatchCommand(connection, transaction, $"""
                INSERT INTO prediction_cache(task, model_version, estimate, composition, {PredictionColumns.Names}, updated_at)
                VALUES (@task, @version, @estimate, @composition, {PredictionColumns.Parameters}, @now)
                ON CONFLICT(task, model_version, estimate, composition) DO UPDATE SET {PredictionColumns.UpdateFromExcluded}, updated_at = excluded.updated_at;
                """, ["@task", "@version", "@estimate", "@composition", .. PredictionColumns.ParameterNames, "@now"]);
            command.Set(4 + PredictionColumns.Count, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            for (var i = from; i < to; i++)
            {
                var prediction = rows[i].Prediction;
                command.Set(0, prediction.Task).Set(1, prediction.ModelVersion).Set(2, rows[i].Estimate.Name()).Set(3, rows[i].Composition);
                PredictionColumns.Bind(command, 4, prediction);
                command.Execute();
            }
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

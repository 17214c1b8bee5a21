using DarwinGrid.Grains.Models;
using Npgsql;
using NpgsqlTypes;

namespace DarwinGrid.Grains.Storage;

// The prediction cache shared by all campaigns, keyed (task, model version, estimate, composition).
public sealed partial class PostgreSqlResultStore
{
    /// <summary>The prediction columns of <see cref="PredictionColumns"/> as unnest() arguments, in order.</summary>
    private const string PredictionArrays = PredictionColumns.Parameters;

    private static readonly IComparer<(string, string, string, string)> OrdinalCacheKey = Comparer<(string, string, string, string)>.Create((a, b) =>
        string.CompareOrdinal(a.Item1, b.Item1) is var c1 and not 0 ? c1
        : string.CompareOrdinal(a.Item2, b.Item2) is var c2 and not 0 ? c2
        : string.CompareOrdinal(a.Item3, b.Item3) is var c3 and not 0 ? c3
        : string.CompareOrdinal(a.Item4, b.Item4));

    /// <summary>Binds the prediction columns of <paramref name="predictions"/> as the arrays of <see cref="PredictionArrays"/>.</summary>
    private static void AddPredictionArrays(NpgsqlCommand command, IReadOnlyList<Prediction> predictions)
    {
        var n = predictions.Count;
        double?[] values = new double?[n], probabilities = new double?[n], spreads = new double?[n], lows = new double?[n], highs = new double?[n];
        string?[] labels = new string?[n], labelProbabilities = new string?[n], errors = new string?[n], distributions = new string?[n];
        var raw = new string[n];
        for (var i = 0; i < n; i++)
        {
            var p = predictions[i];
            values[i] = PredictionColumns.NullIfNaN(p.Value);
            labels[i] = p.Label;
            probabilities[i] = PredictionColumns.NullIfNaN(p.Probability);
            labelProbabilities[i] = PredictionColumns.LabelProbabilitiesJson(p);
            spreads[i] = PredictionColumns.NullIfNaN(p.Spread);
            raw[i] = p.RawAnswer ?? "";
            errors[i] = p.Error;
            lows[i] = PredictionColumns.NullIfNaN(p.Low);
            highs[i] = PredictionColumns.NullIfNaN(p.High);
            distributions[i] = DistributionColumn.ToJson(p.Distribution);
        }
        AddArray(command, "@value", NpgsqlDbType.Double, values);
        AddArray(command, "@label", NpgsqlDbType.Text, labels);
        AddArray(command, "@probability", NpgsqlDbType.Double, probabilities);
        AddArray(command, "@label_probabilities", NpgsqlDbType.Text, labelProbabilities);
        AddArray(command, "@spread", NpgsqlDbType.Double, spreads);
        AddArray(command, "@raw_answer", NpgsqlDbType.Text, raw);
        AddArray(command, "@error", NpgsqlDbType.Text, errors);
        AddArray(command, "@low", NpgsqlDbType.Double, lows);
        AddArray(command, "@high", NpgsqlDbType.Double, highs);
        AddArray(command, "@distribution", NpgsqlDbType.Text, distributions);
    }

    public async Task<IReadOnlyDictionary<string, Prediction>> GetCachedPredictionsAsync(
        string task, string modelVersion, PredictionEstimate estimate, IReadOnlyCollection<string> compositions, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(task);
        ArgumentException.ThrowIfNullOrWhiteSpace(modelVersion);
        ArgumentNullException.ThrowIfNull(compositions);
        if (compositions.Count == 0)
            return new Dictionary<string, Prediction>(StringComparer.Ordinal);
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        var wanted = compositions.Distinct(StringComparer.Ordinal).ToArray();
        return await _database.RunAsync("prediction cache lookup", async (connection, ct) =>
        {
            await using var command = new NpgsqlCommand($"""
                SELECT composition, {PredictionColumns.Names} FROM prediction_cache
                WHERE task = @task AND model_version = @version AND estimate = @estimate AND {PostgreSqlDialect.Instance.IsIn("composition", "@compositions")};
                """, connection);
            command.Parameters.AddWithValue("@task", task);
            command.Parameters.AddWithValue("@version", modelVersion);
            command.Parameters.AddWithValue("@estimate", estimate.Name());
            AddArray(command, "@compositions", NpgsqlDbType.Text, wanted);
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            var found = new Dictionary<string, Prediction>(StringComparer.Ordinal);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
                found[reader.GetString(0)] = PredictionColumns.Read(reader, 1, task, modelVersion);
            return (IReadOnlyDictionary<string, Prediction>)found;
        }, cancellationToken).ConfigureAwait(false);
    }

    public Task UpsertPredictionsAsync(IReadOnlyList<CachedPrediction> predictions, CancellationToken cancellationToken = default)
    {
        for (var i = 0; i < (predictions?.Count ?? 0); i++)
            RequirePrediction(predictions![i]?.Prediction, $"Cached prediction {i} of the batch", predictions[i]?.Composition);
        return WriteInBatchesAsync(null, "prediction cache upsert", predictions!, async (connection, transaction, _, slice, ct) =>
        {
            var rows = LastPerKeyInKeyOrder(slice, r => (r.Prediction.Task, r.Prediction.ModelVersion, r.Estimate.Name(), r.Composition), OrdinalCacheKey);
            await using var command = new NpgsqlCommand($"""
                INSERT INTO prediction_cache(task, model_version, estimate, composition, {PredictionColumns.Names}, updated_at)
                SELECT r.*, @now FROM unnest(@task, @version, @estimate, @composition, {PredictionArrays}) AS r
                ON CONFLICT (task, model_version, estimate, composition) DO UPDATE SET {PredictionColumns.UpdateFromExcluded}, updated_at = excluded.updated_at;
                """, connection, transaction);
            command.Parameters.AddWithValue("@now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            AddArray(command, "@task", NpgsqlDbType.Text, rows.ConvertAll(r => r.Prediction.Task).ToArray());
            AddArray(command, "@version", NpgsqlDbType.Text, rows.ConvertAll(r => r.Prediction.ModelVersion).ToArray());
            AddArray(command, "@estimate", NpgsqlDbType.Text, rows.ConvertAll(r => r.Estimate.Name()).ToArray());
            AddArray(command, "@composition", NpgsqlDbType.Text, rows.ConvertAll(r => r.Composition).ToArray());
            AddPredictionArrays(command, rows.ConvertAll(r => r.Prediction));
            await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
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

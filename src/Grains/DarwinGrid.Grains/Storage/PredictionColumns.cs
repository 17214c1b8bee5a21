using System.Collections.Immutable;
using System.Text.Json;
using DarwinGrid.Grains.Models;
using System.Data.Common;

namespace DarwinGrid.Grains.Storage;

/// <summary>
/// The columns a prediction is stored in, shared by the results table and the prediction cache:
/// value, label, probability, label_probabilities (JSON), spread, raw_answer, error, low, high,
/// distribution (compact JSON, see <see cref="DistributionColumn"/>) — in that order.
/// </summary>
internal static class PredictionColumns
{
    public const string Names = "value, label, probability, label_probabilities, spread, raw_answer, error, low, high, distribution";
    public const string UpdateFromExcluded =
        "value = excluded.value, label = excluded.label, probability = excluded.probability, " +
        "label_probabilities = excluded.label_probabilities, spread = excluded.spread, " +
        "raw_answer = excluded.raw_answer, error = excluded.error, " +
        "low = excluded.low, high = excluded.high, distribution = excluded.distribution";

    public const int Count = 10;

    /// <summary>Adds the prediction columns, one value per prediction, to <paramref name="upsert"/>.</summary>
    public static BulkUpsert Columns(this BulkUpsert upsert, IReadOnlyList<Prediction> predictions)
    {
        var n = predictions.Count;
        double?[] values = new double?[n], probabilities = new double?[n], spreads = new double?[n], lows = new double?[n], highs = new double?[n];
        string?[] labels = new string?[n], labelProbabilities = new string?[n], errors = new string?[n], distributions = new string?[n];
        var raw = new string[n];
        for (var i = 0; i < n; i++)
        {
            var p = predictions[i];
            values[i] = NullIfNaN(p.Value);
            labels[i] = p.Label;
            probabilities[i] = NullIfNaN(p.Probability);
            labelProbabilities[i] = LabelProbabilitiesJson(p);
            spreads[i] = NullIfNaN(p.Spread);
            raw[i] = p.RawAnswer ?? "";
            errors[i] = p.Error;
            lows[i] = NullIfNaN(p.Low);
            highs[i] = NullIfNaN(p.High);
            distributions[i] = DistributionColumn.ToJson(p.Distribution);
        }
        return upsert.Column("value", values).Column("label", labels).Column("probability", probabilities)
            .Column("label_probabilities", labelProbabilities).Column("spread", spreads).Column("raw_answer", raw)
            .Column("error", errors).Column("low", lows).Column("high", highs).Column("distribution", distributions);
    }

    /// <summary>The label probabilities as the JSON text the label_probabilities column holds; null when there are none.</summary>
    public static string? LabelProbabilitiesJson(Prediction prediction) =>
        prediction.LabelProbabilities is { Count: > 0 } probabilities ? JsonSerializer.Serialize(probabilities, StoreJson.Options) : null;

    /// <summary>SQLite stores NaN as NULL anyway; saying so here keeps it the same in every dialect.</summary>
    public static double? NullIfNaN(double? value) => value is { } v && double.IsNaN(v) ? null : value;

    /// <summary>Reads a prediction whose columns start at <paramref name="first"/> of the current row.</summary>
    public static Prediction Read(DbDataReader reader, int first, string task, string modelVersion)
    {
        ImmutableDictionary<string, double>? probabilities = null;
        if (!reader.IsDBNull(first + 3))
            probabilities = JsonSerializer.Deserialize<ImmutableDictionary<string, double>>(reader.GetString(first + 3), StoreJson.Options);
        return new Prediction(
            task,
            modelVersion,
            NullableDouble(reader, first),
            reader.IsDBNull(first + 1) ? null : reader.GetString(first + 1),
            NullableDouble(reader, first + 2),
            reader.GetString(first + 5),
            reader.IsDBNull(first + 6) ? null : reader.GetString(first + 6),
            probabilities,
            NullableDouble(reader, first + 4),
            NullableDouble(reader, first + 7),
            NullableDouble(reader, first + 8),
            reader.IsDBNull(first + 9) ? null : DistributionColumn.FromJson(reader.GetString(first + 9)));
    }

    public static double? NullableDouble(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetDouble(ordinal);
}

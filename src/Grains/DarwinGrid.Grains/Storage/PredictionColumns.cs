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
    public const string Parameters = "@value, @label, @probability, @label_probabilities, @spread, @raw_answer, @error, @low, @high, @distribution";
    public const string UpdateFromExcluded =
        "value = excluded.value, label = excluded.label, probability = excluded.probability, " +
        "label_probabilities = excluded.label_probabilities, spread = excluded.spread, " +
        "raw_answer = excluded.raw_answer, error = excluded.error, " +
        "low = excluded.low, high = excluded.high, distribution = excluded.distribution";

    public static readonly string[] ParameterNames =
        ["@value", "@label", "@probability", "@label_probabilities", "@spread", "@raw_answer", "@error", "@low", "@high", "@distribution"];

    public const int Count = 10;

    /// <summary>Binds the prediction to parameters <paramref name="first"/>.. of <paramref name="command"/>.</summary>
    public static void Bind(BatchCommand command, int first, Prediction prediction)
    {
        command.Set(first, NullIfNaN(prediction.Value))
            .Set(first + 1, prediction.Label)
            .Set(first + 2, NullIfNaN(prediction.Probability))
            .Set(first + 3, LabelProbabilitiesJson(prediction))
            .Set(first + 4, NullIfNaN(prediction.Spread))
            .Set(first + 5, prediction.RawAnswer ?? "")
            .Set(first + 6, prediction.Error)
            .Set(first + 7, NullIfNaN(prediction.Low))
            .Set(first + 8, NullIfNaN(prediction.High))
            .Set(first + 9, DistributionColumn.ToJson(prediction.Distribution));
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

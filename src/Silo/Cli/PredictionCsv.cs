using System.Globalization;
using CsvHelper;
using DarwinGrid.Inference.Prediction;

namespace DarwinGrid.Silo.Cli;

/// <summary>
/// The stable columns of <c>darwin predict</c>'s output. Regression rows end with the central
/// interval (<c>prediction_low,prediction_high</c>), appended after the original columns so
/// readers of the older layout keep working.
/// </summary>
public static class PredictionCsv
{
    public static IReadOnlyList<string> Header(bool classification) =>
        classification
            ? ["composition", "prediction", "probability", "raw_answer", "error"]
            : ["composition", "prediction", "raw_answer", "error", "prediction_low", "prediction_high"];

    public static void Write(CsvWriter csv, string input, PropertyPrediction prediction, bool classification)
    {
        csv.WriteField(input);
        csv.WriteField(prediction.Value?.ToString("R", CultureInfo.InvariantCulture) ?? prediction.Label ?? "");
        if (classification) csv.WriteField(prediction.Probability?.ToString("R", CultureInfo.InvariantCulture) ?? "");
        csv.WriteField(prediction.RawAnswer);
        csv.WriteField(prediction.Error ?? "");
        if (classification) return;
        csv.WriteField(prediction.Low?.ToString("R", CultureInfo.InvariantCulture) ?? "");
        csv.WriteField(prediction.High?.ToString("R", CultureInfo.InvariantCulture) ?? "");
    }
}

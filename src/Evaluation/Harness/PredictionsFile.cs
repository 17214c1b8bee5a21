using System.Globalization;
using CsvHelper;
using DarwinGrid.Domain.Datasets;
using DarwinGrid.Domain.Tasks;
using DarwinGrid.Evaluation.Models;

namespace DarwinGrid.Evaluation.Harness;

/// <summary>
/// The per-fold predictions CSV: <c>row,input,actual,predicted[,low,high|,p_class...],failure</c>,
/// one line per test record in fold order (low/high: a regression answer's central interval, empty
/// when the model gives none; files from before they existed are still read). <c>predicted</c> and the class scores are what was scored (the
/// dummy's answer on a failed line, whose <c>failure</c> column says why). The file is written to a
/// temporary name and moved into place, so a file under the final name is complete.
/// </summary>
public static class PredictionsFile
{
    public static string PathFor(string outDir, PropertyTask task, int fold, string? variant = null) =>
        Path.Combine(outDir, task.Name, variant is null ? $"fold-{fold}.predictions.csv" : $"fold-{fold}.{variant}.predictions.csv");

    public static IReadOnlyList<string> Header(PropertyTask task) =>
    [
        "row", "input", "actual", "predicted",
        .. task.Kind == TaskKind.Regression ? ["low", "high"] : task.Classes.Select(c => "p_" + c.Name),
        "failure",
    ];

    /// <summary>The regression header before intervals were written.</summary>
    private static IReadOnlyList<string> HeaderWithoutInterval(PropertyTask task) => [.. Header(task).Where(h => h is not ("low" or "high"))];

    public static void Write(string path, PropertyTask task, IReadOnlyList<PredictionRow> rows)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        using (var writer = new StreamWriter(temporary))
        using (var csv = new CsvWriter(writer, CultureInfo.InvariantCulture))
        {
            foreach (var name in Header(task))
                csv.WriteField(name);
            csv.NextRecord();
            foreach (var row in rows)
            {
                csv.WriteField(row.RowNumber);
                csv.WriteField(row.Input);
                csv.WriteField(row.Actual.ToString());
                if (task.Kind == TaskKind.Regression)
                {
                    csv.WriteField(Format(row.Scored.Value!.Value));
                    csv.WriteField(row.Scored.Low is { } low ? Format(low) : "");
                    csv.WriteField(row.Scored.High is { } high ? Format(high) : "");
                }
                else
                {
                    csv.WriteField(task.Classes[FoldScorer.ArgMax(row.Scored.ClassScores!)].Name);
                    foreach (var score in row.Scored.ClassScores!)
                        csv.WriteField(Format(score));
                }
                csv.WriteField(row.Failure ?? "");
                csv.NextRecord();
            }
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>
    /// The predictions of an earlier run when the file matches the fold exactly (same header, same
    /// records in the same order, every number readable); otherwise null and the reason.
    /// </summary>
    public static (IReadOnlyList<PredictionRow>? Rows, string? Problem) TryRead(string path, PropertyTask task, IReadOnlyList<TaskRecord> testRecords)
    {
        if (!File.Exists(path))
            return (null, "no predictions file");
        using var reader = new StreamReader(path);
        using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
        if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is null)
            return (null, "header differs from this task's");
        var withInterval = csv.HeaderRecord.SequenceEqual(Header(task));
        if (!withInterval && !(task.Kind == TaskKind.Regression && csv.HeaderRecord.SequenceEqual(HeaderWithoutInterval(task))))
            return (null, "header differs from this task's");

        var rows = new List<PredictionRow>(testRecords.Count);
        while (csv.Read())
        {
            if (rows.Count >= testRecords.Count)
                return (null, $"more lines than the fold's {testRecords.Count} test records");
            var record = testRecords[rows.Count];
            if (csv.GetField(0) != record.RowNumber.ToString(CultureInfo.InvariantCulture) || csv.GetField(1) != record.Input)
                return (null, $"line {rows.Count + 1} is not data row {record.RowNumber} ('{record.Input}')");
            ModelOutput scored;
            if (task.Kind == TaskKind.Regression)
            {
                if (!TryParse(csv.GetField(3), out var value))
                    return (null, $"line {rows.Count + 1}: predicted value unreadable");
                double? low = null, high = null;
                if (withInterval && TryParse(csv.GetField(4), out var l) && TryParse(csv.GetField(5), out var h)) (low, high) = (l, h);
                scored = ModelOutput.Number(value, low, high);
            }
            else
            {
                var scores = new double[task.Classes.Count];
                for (var c = 0; c < scores.Length; c++)
                {
                    if (!TryParse(csv.GetField(4 + c), out scores[c]))
                        return (null, $"line {rows.Count + 1}: score of class '{task.Classes[c].Name}' unreadable");
                }
                scored = ModelOutput.Classes(scores);
            }
            var failure = csv.GetField(csv.HeaderRecord.Length - 1);
            rows.Add(new PredictionRow(record.RowNumber, record.Input, record.Target, scored, string.IsNullOrEmpty(failure) ? null : failure));
        }
        return rows.Count == testRecords.Count
            ? (rows, null)
            : (null, $"{rows.Count} lines but the fold has {testRecords.Count} test records");
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static bool TryParse(string? text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
}

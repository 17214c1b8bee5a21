using System.Globalization;
using System.Text;
using System.Text.Json;

namespace DarwinGrid.Evaluation.Harness;

/// <summary>Writes an <see cref="EvaluationReport"/> as JSON (undefined metrics as null) and as Markdown tables.</summary>
public static class ReportWriter
{
    public static void WriteJson(string path, EvaluationReport report)
    {
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("model", report.Model);
        json.WriteString("description", report.ModelDescription);
        json.WriteNumber("fold_count", report.FoldCount);
        json.WriteNumber("seed", report.Seed);
        json.WriteStartArray("folds");
        foreach (var fold in report.Folds)
            json.WriteNumberValue(fold);
        json.WriteEndArray();
        json.WriteStartArray("tasks");
        foreach (var task in report.Tasks)
        {
            json.WriteStartObject();
            json.WriteString("task", task.Task);
            json.WriteString("kind", task.Kind.ToString());
            json.WriteString("unit", task.Unit);
            json.WriteNumber("records", task.Records);
            json.WriteString("primary_metric", task.PrimaryMetric);
            json.WriteNumber("failures", task.Failures);
            json.WriteStartObject("summary");
            foreach (var (metric, summary) in task.Summary)
            {
                if (summary is null)
                {
                    json.WriteNull(metric);
                    continue;
                }
                json.WriteStartObject(metric);
                json.WriteNumber("mean", summary.Mean);
                json.WriteNumber("std", summary.Std);
                json.WriteNumber("min", summary.Min);
                json.WriteNumber("max", summary.Max);
                json.WriteNumber("folds", summary.Folds);
                json.WriteEndObject();
            }
            json.WriteEndObject();
            json.WriteStartArray("folds");
            foreach (var fold in task.Folds)
            {
                json.WriteStartObject();
                json.WriteNumber("fold", fold.Fold);
                json.WriteNumber("train", fold.TrainCount);
                json.WriteNumber("test", fold.TestCount);
                json.WriteNumber("failures", fold.Failures);
                json.WriteBoolean("resumed", fold.Resumed);
                WriteNullable(json, "fit_seconds", fold.FitSeconds);
                WriteNullable(json, "predict_seconds", fold.PredictSeconds);
                json.WriteString("predictions", Path.GetFileName(fold.PredictionsFile));
                json.WriteStartObject("metrics");
                foreach (var (metric, value) in fold.Metrics)
                    WriteNullable(json, metric, double.IsFinite(value) ? value : null);
                json.WriteEndObject();
                json.WriteStartArray("notes");
                foreach (var note in fold.Notes)
                    json.WriteStringValue(note);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    public static void WriteMarkdown(string path, EvaluationReport report) => File.WriteAllText(path, Markdown(report));

    public static string Markdown(EvaluationReport report)
    {
        var text = new StringBuilder();
        text.AppendLine($"# {report.Model}");
        text.AppendLine();
        text.AppendLine($"{report.ModelDescription}.");
        text.AppendLine();
        text.AppendLine($"Folds {string.Join(", ", report.Folds)} of {report.FoldCount} (seed {report.Seed}; our folds on our copy of the data).");
        text.AppendLine();
        text.AppendLine("| task | metric | mean | std | min | max | folds | failures |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (var task in report.Tasks)
        {
            foreach (var (metric, summary) in task.Summary)
            {
                var name = metric == task.PrimaryMetric ? $"**{metric}**" : metric;
                text.AppendLine(summary is null
                    ? $"| {task.Task} | {name} | n/a | | | | 0 | {task.Failures} |"
                    : $"| {task.Task} | {name} | {F(summary.Mean)} | {F(summary.Std)} | {F(summary.Min)} | {F(summary.Max)} | {summary.Folds} | {task.Failures} |");
            }
        }
        var notes = report.Tasks.SelectMany(t => t.Folds.SelectMany(f => f.Notes.Select(n => $"{t.Task} fold {f.Fold}: {n}"))).ToArray();
        if (notes.Length > 0)
        {
            text.AppendLine();
            text.AppendLine("Notes:");
            text.AppendLine();
            foreach (var note in notes)
                text.AppendLine($"- {note}");
        }
        return text.ToString();
    }

    private static string F(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);

    private static void WriteNullable(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v)
            json.WriteNumber(name, v);
        else
            json.WriteNull(name);
    }
}

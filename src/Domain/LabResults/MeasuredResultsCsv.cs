using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using DarwinGrid.Domain.Compositions;
using DarwinGrid.Domain.Screening;
using DarwinGrid.Domain.Tasks;

namespace DarwinGrid.Domain.LabResults;

/// <summary>
/// Reads a lab's CSV of measured values: columns <c>composition</c>, <c>task</c> (a catalog name or
/// alias such as <c>band_gap</c>) and <c>value</c> (a number, or a class such as <c>true</c>), optional
/// <c>conditions</c> and <c>notes</c>. Every row is checked (composition parses, task known, value
/// fits the task, the candidate belongs to the campaign, no (composition, task, conditions) twice) and
/// every bad row is named; one bad row rejects the whole file, so nothing is half-imported.
/// </summary>
public static class MeasuredResultsCsv
{
    public const string CompositionColumn = "composition", TaskColumn = "task", ValueColumn = "value",
        ConditionsColumn = "conditions", NotesColumn = "notes";

    /// <summary>Most bytes and rows of one upload, and the longest free-text cell.</summary>
    public const int MaxBytes = 8 * 1024 * 1024, MaxRows = 50_000, MaxTextLength = 2_000;

    /// <summary>At most this many row errors are listed (the count of the rest is given).</summary>
    public const int MaxErrorsListed = 100;

    private static readonly CsvConfiguration Configuration = new(CultureInfo.InvariantCulture)
    {
        DetectDelimiter = false,
        BadDataFound = null,
        MissingFieldFound = null,
    };

    /// <param name="content">The file's bytes (UTF-8).</param>
    /// <param name="isCandidate">Whether a canonical formula is one of the campaign's candidates; null accepts any.</param>
    public static MeasuredResultsUpload Read(ReadOnlySpan<byte> content, Func<string, bool>? isCandidate = null)
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(content));
        if (content.Length > MaxBytes)
            return Rejected(sha, new MeasuredRowError(0, $"The file has {content.Length:N0} bytes; at most {MaxBytes:N0} are accepted."));
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(content);
        }
        catch (DecoderFallbackException)
        {
            return Rejected(sha, new MeasuredRowError(0, "The file is not UTF-8 text."));
        }

        using var csv = new CsvReader(new StringReader(text.TrimStart('\uFEFF')), Configuration);
        if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is not { } header)
            return Rejected(sha, new MeasuredRowError(1, "The file has no header; expected the columns composition,task,value[,conditions,notes]."));
        var columns = header.Select(h => h.Trim().ToLowerInvariant()).ToArray();
        var missing = new[] { CompositionColumn, TaskColumn, ValueColumn }.Where(c => !columns.Contains(c)).ToList();
        if (missing.Count > 0)
            return Rejected(sha, new MeasuredRowError(1,
                $"Missing column(s) {string.Join(", ", missing.Select(m => $"'{m}'"))}; the header has {string.Join(", ", header.Select(h => $"'{h}'"))}."));
        int Index(string name) => Array.IndexOf(columns, name);
        var (compositionAt, taskAt, valueAt, conditionsAt, notesAt) =
            (Index(CompositionColumn), Index(TaskColumn), Index(ValueColumn), Index(ConditionsColumn), Index(NotesColumn));

        var rows = new List<MeasuredResult>();
        var errors = new List<MeasuredRowError>();
        var firstLine = new Dictionary<(string, string, string), long>();
        var rowCount = 0;
        while (csv.Read())
        {
            var line = (long)csv.Parser.RawRow;
            if (++rowCount > MaxRows)
            {
                errors.Add(new MeasuredRowError(line, $"More than {MaxRows:N0} rows; split the file."));
                break;
            }
            string Cell(int index) => index >= 0 && index < csv.Parser.Count ? (csv.Parser[index] ?? "").Trim() : "";
            var problem = ReadRow(line, Cell(compositionAt), Cell(taskAt), Cell(valueAt), Cell(conditionsAt), Cell(notesAt), isCandidate, out var row);
            if (problem is not null)
            {
                errors.Add(new MeasuredRowError(line, problem));
                continue;
            }
            var key = (row!.Composition, row.Task, row.Conditions ?? "");
            if (firstLine.TryGetValue(key, out var earlier))
            {
                errors.Add(new MeasuredRowError(line, $"'{row.Input}' {row.Task}{(row.Conditions is null ? "" : $" ({row.Conditions})")} was already given on line {earlier}."));
                continue;
            }
            firstLine[key] = line;
            rows.Add(row);
        }
        if (errors.Count == 0 && rows.Count == 0)
            errors.Add(new MeasuredRowError(1, "The file has a header but no rows."));
        if (errors.Count > MaxErrorsListed)
        {
            var more = errors.Count - MaxErrorsListed;
            errors = [.. errors.Take(MaxErrorsListed), new MeasuredRowError(errors[MaxErrorsListed].Line, $"... and {more:N0} more bad rows.")];
        }
        return errors.Count == 0 ? new MeasuredResultsUpload(rows, [], sha) : new MeasuredResultsUpload([], errors, sha);
    }

    private static string? ReadRow(long line, string input, string taskText, string valueText, string conditions, string notes,
        Func<string, bool>? isCandidate, out MeasuredResult? row)
    {
        row = null;
        if (input.Length == 0) return "empty composition";
        if (!CompositionParser.TryParse(input, out var composition, out var parseError))
            return $"composition '{Shorten(input)}': {parseError.Message}";
        if (isCandidate is not null && !isCandidate(composition.CanonicalFormula))
            return $"'{composition.CanonicalFormula}' is not a candidate of this campaign";
        if (TaskAliases.TryResolve(taskText) is not { } task)
            return $"unknown task '{Shorten(taskText)}'";
        if (conditions.Length > MaxTextLength || notes.Length > MaxTextLength)
            return $"conditions and notes may have at most {MaxTextLength:N0} characters";

        double? value = null;
        string? label = null;
        if (task.Answer is ClassAnswer)
        {
            label = TaskLabels.TryResolve(task, valueText);
            if (label is null) return $"{task.Name} value '{Shorten(valueText)}' is none of the classes {TaskLabels.Describe(task)}";
        }
        else if (double.TryParse(valueText, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
            value = number;
        else
            return valueText.Length == 0 ? $"empty {task.Name} value" : $"{task.Name} value '{Shorten(valueText)}' is not a number";

        row = new MeasuredResult(line, input, composition.CanonicalFormula, task.Name, value, label,
            conditions.Length == 0 ? null : conditions, notes.Length == 0 ? null : notes);
        return null;
    }

    private static MeasuredResultsUpload Rejected(string sha, MeasuredRowError error) => new([], [error], sha);

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";
}

using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using DarwinGrid.Domain.Tasks;

namespace DarwinGrid.Domain.Datasets;

/// <summary>Reads a tabular CSV task source into records, reporting every row it cannot use.</summary>
public static class CsvTaskLoader
{
    public static DatasetLoad<TaskRecord> Load(PropertyTask task, CsvTaskSource source, string dataRoot)
    {
        var path = DataFiles.Resolve(dataRoot, source.File);
        var malformedRows = new HashSet<int>();
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            MissingFieldFound = null,
            BadDataFound = args => malformedRows.Add(args.Context.Parser?.Row ?? -1),
            DetectColumnCountChanges = false,
        };

        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        using var csv = new CsvReader(reader, configuration);
        if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is null)
            throw new InvalidDataException($"{source.File}: the file has no header row.");
        var header = csv.HeaderRecord;
        var inputColumn = ColumnIndex(header, source.InputColumn, source.File);
        var targetColumn = ColumnIndex(header, source.TargetColumn, source.File);
        var qualifierColumn = source.QualifierColumn is null ? -1 : ColumnIndex(header, source.QualifierColumn, source.File);
        var filterColumn = source.Filter is null ? -1 : ColumnIndex(header, source.Filter.Column, source.File);

        var records = new List<TaskRecord>();
        var skipped = new List<SkippedRow>();
        var filteredOut = 0;
        var rowNumber = 0;
        while (csv.Read())
        {
            rowNumber++;
            string Cell(int index) => index < csv.Parser.Count ? csv.Parser[index] ?? "" : "";
            void Skip(string reason) => skipped.Add(new SkippedRow(source.File, rowNumber, reason));

            if (malformedRows.Contains(csv.Parser.Row))
            {
                Skip("malformed quoting");
                continue;
            }
            if (source.Filter is not null && !source.Filter.Accepts(Cell(filterColumn)))
            {
                filteredOut++;
                continue;
            }
            var input = Cell(inputColumn).Trim();
            if (input.Length == 0)
            {
                Skip($"empty input ('{source.InputColumn}')");
                continue;
            }
            var target = ReadTarget(task, Cell(targetColumn), source.TargetColumn, out var problem);
            if (target is null)
            {
                Skip(problem!);
                continue;
            }
            var qualifier = qualifierColumn < 0 ? null : Cell(qualifierColumn).Trim();
            records.Add(new TaskRecord(rowNumber, input, target)
            {
                Qualifier = string.IsNullOrEmpty(qualifier) ? null : qualifier,
            });
        }

        return source.DistinctInputs
            ? KeepDistinctInputs(records, skipped, source.File, filteredOut)
            : new DatasetLoad<TaskRecord>(records, skipped, filteredOut);
    }

    private static TargetValue? ReadTarget(PropertyTask task, string cell, string column, out string? problem)
    {
        problem = null;
        if (task.Answer is ClassAnswer classes)
        {
            var label = classes.ClassOfSourceValue(cell);
            if (label is null)
                problem = $"'{column}' = '{cell.Trim()}' is none of the classes {string.Join(", ", classes.Classes.Select(c => c.Name))}";
            return label;
        }
        var text = cell.Trim();
        if (text.Length == 0)
        {
            problem = $"empty target ('{column}')";
            return null;
        }
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            problem = $"'{column}' = '{text}' is not a number";
            return null;
        }
        return new TargetValue.Number(value);
    }

    /// <summary>Keeps the first row per input; drops inputs whose rows disagree, since no single target is right.</summary>
    private static DatasetLoad<TaskRecord> KeepDistinctInputs(
        List<TaskRecord> records, List<SkippedRow> skipped, string file, int filteredOut)
    {
        var kept = new List<TaskRecord>();
        foreach (var group in records.GroupBy(r => r.Input, StringComparer.Ordinal))
        {
            var rows = group.ToList();
            if (rows.Select(r => r.Target).Distinct().Count() > 1)
            {
                var summary = string.Join(", ", rows.Select(r => $"row {r.RowNumber}: {r.Target}"));
                skipped.AddRange(rows.Select(r => new SkippedRow(file, r.RowNumber, $"conflicting targets for '{r.Input}' ({summary})")));
                continue;
            }
            kept.Add(rows[0]);
            skipped.AddRange(rows.Skip(1).Select(r => new SkippedRow(file, r.RowNumber, $"duplicate of row {rows[0].RowNumber}")));
        }
        kept.Sort((a, b) => a.RowNumber.CompareTo(b.RowNumber));
        skipped.Sort((a, b) => a.RowNumber.CompareTo(b.RowNumber));
        return new DatasetLoad<TaskRecord>(kept, skipped, filteredOut);
    }

    private static int ColumnIndex(string[] header, string column, string file)
    {
        var index = Array.FindIndex(header, h => string.Equals(h.Trim(), column.Trim(), StringComparison.Ordinal));
        return index >= 0
            ? index
            : throw new InvalidDataException(
                $"{file}: no column '{column}'. Columns: {string.Join(", ", header.Select(h => $"'{h.Trim()}'"))}.");
    }
}

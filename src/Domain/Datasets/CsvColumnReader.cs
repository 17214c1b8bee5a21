using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using DarwinGrid.Domain.Compositions;

namespace DarwinGrid.Domain.Datasets;

/// <summary>One cell of a streamed CSV column and the (1-based) line its record starts on.</summary>
public readonly record struct CsvCell(long Line, string Value);

/// <summary>Streams one named column of a CSV of any size, row by row.</summary>
public static class CsvColumnReader
{
    private static readonly CsvConfiguration Configuration = new(CultureInfo.InvariantCulture)
    {
        DetectDelimiter = false,
        BadDataFound = null,
        MissingFieldFound = null,
    };

    /// <exception cref="CsvColumnNotFoundException">The header has no column named <paramref name="column"/> (the message lists the columns).</exception>
    public static IEnumerable<CsvCell> Read(TextReader input, string column)
    {
        using var reader = new CsvReader(input, Configuration, leaveOpen: true);
        if (!reader.Read()) throw new CsvColumnNotFoundException(column, []);
        reader.ReadHeader();
        var header = reader.HeaderRecord ?? [];
        var index = Array.IndexOf(header, column);
        if (index < 0) throw new CsvColumnNotFoundException(column, header);
        while (reader.Read())
        {
            var record = reader.Parser.RawRecord.AsSpan().TrimEnd("\r\n");
            yield return new CsvCell(reader.Parser.RawRow - record.Count('\n'), reader.GetField(index) ?? "");
        }
    }
}

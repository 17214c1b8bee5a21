using System.Collections.Immutable;
using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using DarwinGrid.Domain.Compositions;
using DarwinGrid.Domain.Datasets;

namespace DarwinGrid.Web.Campaigns;

/// <summary>A row that is not a composition: where it is, what it says, and why it does not parse.</summary>
public sealed record BadCandidateRow(long Line, string Input, string Reason);

/// <summary>Candidates read from an upload or a paste, checked row by row with the composition parser.</summary>
/// <param name="BadCount">Every bad row; <paramref name="Bad"/> keeps the first <see cref="CandidateRows.ShownBadRows"/>.</param>
public sealed record CandidateCheck(ImmutableArray<string> Valid, ImmutableArray<BadCandidateRow> Bad, long BadCount)
{
    public static CandidateCheck Empty { get; } = new([], [], 0);

    public long Rows => Valid.Length + BadCount;
}

/// <summary>Reads candidate compositions from CSV text (one column) or from lines of text.</summary>
public static class CandidateRows
{
    public const int ShownBadRows = 200;

    private static readonly CsvConfiguration Configuration = new(CultureInfo.InvariantCulture)
    {
        DetectDelimiter = false,
        BadDataFound = null,
        MissingFieldFound = null,
    };

    /// <summary>The header's column names (empty for an empty file).</summary>
    public static IReadOnlyList<string> Columns(string csv)
    {
        using var reader = new CsvReader(new StringReader(csv), Configuration);
        if (!reader.Read())
            return [];
        reader.ReadHeader();
        return reader.HeaderRecord ?? [];
    }

    /// <summary>The column that most likely holds compositions: "composition", else one naming a formula, else the first.</summary>
    public static string? GuessColumn(IReadOnlyList<string> columns) =>
        columns.FirstOrDefault(c => c.Equals("composition", StringComparison.OrdinalIgnoreCase))
        ?? columns.FirstOrDefault(c => c.Contains("composition", StringComparison.OrdinalIgnoreCase) || c.Contains("formula", StringComparison.OrdinalIgnoreCase))
        ?? columns.FirstOrDefault();

    /// <exception cref="CsvColumnNotFoundException">The header has no such column.</exception>
    public static CandidateCheck FromCsv(string csv, string column, CancellationToken cancellationToken = default) =>
        Check(CsvColumnReader.Read(new StringReader(csv), column).Select(cell => (cell.Line, cell.Value)), cancellationToken);

    /// <summary>One composition per line; blank lines and lines starting with '#' are skipped.</summary>
    public static CandidateCheck FromLines(string text, CancellationToken cancellationToken = default) =>
        Check(text.Split('\n').Select((line, i) => ((long)i + 1, line.TrimEnd('\r').Trim()))
            .Where(row => row.Item2.Length > 0 && !row.Item2.StartsWith('#')), cancellationToken);

    private static CandidateCheck Check(IEnumerable<(long Line, string Text)> rows, CancellationToken cancellationToken)
    {
        var valid = ImmutableArray.CreateBuilder<string>();
        var bad = ImmutableArray.CreateBuilder<BadCandidateRow>();
        long badCount = 0;
        foreach (var (line, text) in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (CompositionParser.TryParse(text, out _, out var error))
            {
                valid.Add(text.Trim());
                continue;
            }
            badCount++;
            if (bad.Count < ShownBadRows)
                bad.Add(new BadCandidateRow(line, text, error.Message));
        }
        return new CandidateCheck(valid.ToImmutable(), bad.ToImmutable(), badCount);
    }
}

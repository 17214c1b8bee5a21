using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using DarwinGrid.Domain.Datasets;

namespace DarwinGrid.Domain.Compositions;

/// <summary>
/// Streams a CSV with a composition column into an <c>input,canonical,elements</c> CSV, one output row
/// per input row: <c>input</c> is the text as found, <c>canonical</c> the canonical reduced formula
/// (empty when the text does not parse), <c>elements</c> the atom fractions in Hill order as
/// <c>Symbol:fraction</c> joined by ';' (e.g. <c>Fe:0.4;O:0.6</c>), fractions to 6 significant digits.
/// </summary>
public sealed class CompositionCsvNormalizer(string column)
{
    public static readonly string[] OutputHeader = ["input", "canonical", "elements"];

    private static readonly CsvConfiguration Configuration = new(CultureInfo.InvariantCulture)
    {
        DetectDelimiter = false,
        BadDataFound = null,
        MissingFieldFound = null,
    };

    public string Column { get; } = column;

    /// <exception cref="CsvColumnNotFoundException">The input has no column named <see cref="Column"/>.</exception>
    public CompositionNormalizationSummary Normalize(
        TextReader input, TextWriter output, Action<CompositionRowFailure> onFailure, CancellationToken cancellationToken = default)
    {
        // Read the header before writing anything, so a missing column leaves the output empty.
        using var cells = CsvColumnReader.Read(input, Column).GetEnumerator();
        var hasRow = cells.MoveNext();
        using var writer = new CsvWriter(output, Configuration, leaveOpen: true);
        foreach (var name in OutputHeader)
            writer.WriteField(name);
        writer.NextRecord();

        long rows = 0, parsed = 0;
        var elements = new StringBuilder();
        for (; hasRow; hasRow = cells.MoveNext())
        {
            cancellationToken.ThrowIfCancellationRequested();
            rows++;
            var (line, text) = cells.Current;
            writer.WriteField(text);
            if (CompositionParser.TryParse(text, out var composition, out var error))
            {
                parsed++;
                writer.WriteField(composition.CanonicalFormula);
                writer.WriteField(FormatFractions(composition, elements));
            }
            else
            {
                onFailure(new CompositionRowFailure(line, text, error));
                writer.WriteField(string.Empty);
                writer.WriteField(string.Empty);
            }
            writer.NextRecord();
        }
        writer.Flush();
        return new CompositionNormalizationSummary(rows, parsed);
    }

    private static string FormatFractions(Composition composition, StringBuilder builder)
    {
        builder.Clear();
        foreach (var (element, fraction) in composition.Fractions)
        {
            if (builder.Length > 0)
                builder.Append(';');
            builder.Append(element.Symbol).Append(':').Append(SignificantDecimal.Format(fraction, 6));
        }
        return builder.ToString();
    }
}

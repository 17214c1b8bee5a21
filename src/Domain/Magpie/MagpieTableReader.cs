using System.Globalization;
using DarwinGrid.Domain.Elements;

namespace DarwinGrid.Domain.Magpie;

/// <summary>
/// Reads one Magpie <c>.table</c> file: line N holds the value(s) of the element with atomic number N,
/// separated by spaces or tabs. The files mark unknown values in several ways, all read as missing:
/// <c>Missing</c>, <c>Missing["NotAvailable"]</c>, <c>None</c>, <c>NA</c>, or an empty line.
/// </summary>
internal static class MagpieTableReader
{
    private static readonly char[] Separators = [' ', '\t'];

    /// <summary>
    /// Values per atomic number (index Z-1): null for a missing value. When <paramref name="emptyLineIsEmptyList"/>
    /// is set (oxidation states) an empty line means "no values" rather than "missing".
    /// </summary>
    public static double[]?[] Read(string path, bool emptyLineIsEmptyList = false)
    {
        var values = new double[]?[PeriodicTable.ElementCount];
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            var tokens = line.Split(Separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (lineNumber > PeriodicTable.ElementCount)
            {
                if (tokens.Length == 0)
                    continue; // trailing blank lines
                throw new InvalidDataException(
                    $"{path}:{lineNumber}: more lines than the {PeriodicTable.ElementCount} elements.");
            }
            values[lineNumber - 1] = ParseLine(tokens, emptyLineIsEmptyList, path, lineNumber);
        }
        return values;
    }

    private static double[]? ParseLine(string[] tokens, bool emptyLineIsEmptyList, string path, int lineNumber)
    {
        if (tokens.Length == 0)
            return emptyLineIsEmptyList ? [] : null;
        if (tokens.Length == 1 && IsMissingMarker(tokens[0]))
            return null;

        var numbers = new double[tokens.Length];
        for (var i = 0; i < tokens.Length; i++)
        {
            if (!double.TryParse(tokens[i], NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[i])
                || !double.IsFinite(numbers[i]))
            {
                throw new InvalidDataException(
                    $"{path}:{lineNumber}: '{tokens[i]}' is neither a number nor a missing-value marker " +
                    $"(element {PeriodicTable.ByAtomicNumber(lineNumber).Symbol}).");
            }
        }
        return numbers;
    }

    private static bool IsMissingMarker(string token) =>
        token is "Missing" or "None" or "NA" || token.StartsWith("Missing[", StringComparison.Ordinal);
}

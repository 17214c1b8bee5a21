namespace DarwinGrid.Silo.Cli;

/// <summary>Writes a plain, space-aligned text table for terminal output.</summary>
public static class TextTable
{
    public static void Write(TextWriter output, IReadOnlyList<string> header, IReadOnlyList<string[]> rows, IReadOnlyCollection<int>? rightAligned = null)
    {
        var widths = header.Select((h, c) => rows.Select(r => r[c].Length).Append(h.Length).Max()).ToArray();
        string Line(IReadOnlyList<string> cells) => string.Join("  ", cells.Select((cell, c) =>
            rightAligned?.Contains(c) == true ? cell.PadLeft(widths[c]) : cell.PadRight(widths[c]))).TrimEnd();

        output.WriteLine(Line(header));
        output.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in rows)
            output.WriteLine(Line(row));
    }
}

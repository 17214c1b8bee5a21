using System.Text;

namespace DarwinGrid.Silo.Benchmarks;

/// <summary>
/// The generated part of <c>docs/benchmarks.md</c>: <c>darwin bench all</c>'s output between two
/// marker comments. Regenerating replaces only what is between the markers, so the hand-written
/// analysis around it stays; a document without the markers gets the section appended.
/// </summary>
public static class BenchmarkDocument
{
    public const string Begin = "<!-- darwin bench all: generated section, begin (regenerate with `darwin bench all`; edits inside are overwritten) -->";
    public const string End = "<!-- darwin bench all: generated section, end -->";

    /// <summary>One benchmark's captured output.</summary>
    public sealed record Part(string Title, string Command, string Output, TimeSpan Elapsed, int ExitCode);

    public static string Section(MachineDescription start, string loadAtEnd, IReadOnlyList<Part> parts, bool quick)
    {
        var text = new StringBuilder();
        text.AppendLine(Begin);
        text.AppendLine("## Latest `darwin bench all`");
        text.AppendLine();
        if (quick)
        {
            text.AppendLine("**Quick configuration (`--quick`): a smoke test of the benchmarks, not a measurement.**");
            text.AppendLine();
        }
        text.AppendLine($"Machine: {start}.");
        text.AppendLine($"Load average (1, 5, 15 min): {start.LoadAverage} at the start, {loadAtEnd} at the end.");
        foreach (var part in parts)
        {
            text.AppendLine();
            text.AppendLine($"### {part.Title}");
            text.AppendLine();
            text.AppendLine($"`{part.Command}`: {part.Elapsed.TotalSeconds:F0} s{(part.ExitCode == 0 ? "" : $", **failed with exit code {part.ExitCode}**")}");
            text.AppendLine();
            text.AppendLine("```text");
            text.AppendLine(part.Output.TrimEnd());
            text.AppendLine("```");
        }
        text.AppendLine(End);
        return text.ToString();
    }

    /// <summary>The document with its generated section replaced by <paramref name="section"/> (or appended).</summary>
    /// <exception cref="InvalidDataException">The markers are there but not as one begin followed by one end.</exception>
    public static string Splice(string document, string section)
    {
        var begin = document.IndexOf(Begin, StringComparison.Ordinal);
        var end = document.IndexOf(End, StringComparison.Ordinal);
        if (begin < 0 && end < 0)
            return document.TrimEnd() + Environment.NewLine + Environment.NewLine + section;
        if (begin < 0 || end < begin || document.IndexOf(Begin, begin + 1, StringComparison.Ordinal) >= 0 || document.IndexOf(End, end + 1, StringComparison.Ordinal) >= 0)
            throw new InvalidDataException("The benchmarks document's generated-section markers are damaged (expected one begin marker followed by one end marker); fix them by hand.");
        var after = document[(end + End.Length)..].TrimStart('\r', '\n');
        return document[..begin] + section + (after.Length > 0 ? Environment.NewLine + after : "");
    }
}

namespace DarwinGrid.Domain.Compositions;

/// <summary>A CSV row whose composition did not parse: its 1-based line in the file, the text, and why.</summary>
public sealed record CompositionRowFailure(long Line, string Input, CompositionParseError Error)
{
    public override string ToString() => $"line {Line}: {Error.Message} in \"{Abbreviate(Input)}\"";

    private static string Abbreviate(string text) => text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 77), "...");
}

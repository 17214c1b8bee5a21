namespace DarwinGrid.Domain.Tasks;

/// <summary>
/// How a task's answer is written (as DARWIN wrote its training outputs: a leading space, the
/// answer, then a newline) and how a model's text answer is read back.
/// </summary>
public abstract class AnswerFormat
{
    /// <summary>The answer text for a target, e.g. <c>" 1.51\n"</c> or <c>" No, In5AgTe8 is not metal.\n"</c>.</summary>
    /// <param name="input">The candidate (trimmed), for answers that repeat it.</param>
    /// <param name="target">The value to write.</param>
    /// <param name="qualifier">Extra per-record text some answers carry (water stability: the confidence).</param>
    public abstract string Format(string input, TargetValue target, string? qualifier = null);

    /// <summary>Reads a model's generated answer (with or without DARWIN's leading space and newline).</summary>
    public abstract AnswerParse Parse(string text);

    /// <summary>Phrases DARWIN's distractor answers use; only consulted once an answer failed to parse.</summary>
    private static readonly string[] RefusalMarkers =
        ["unable to answer", "is not a ", "does not have ", "has no ", "cannot be answered"];

    protected static AnswerParse Failure(string text, AnswerParseFailure otherwise, string expectation)
    {
        var shown = Shorten(text);
        if (RefusalMarkers.Any(m => text.Contains(m, StringComparison.OrdinalIgnoreCase)))
            return AnswerParse.Fail(AnswerParseFailure.Refusal, $"The model declined to answer: '{shown}'.");
        return AnswerParse.Fail(otherwise, $"Expected {expectation}, got '{shown}'.");
    }

    protected static string Shorten(string text)
    {
        var oneLine = text.Trim().ReplaceLineEndings(" ");
        return oneLine.Length <= 80 ? oneLine : oneLine[..77] + "...";
    }
}

using System.Globalization;
using System.Text.RegularExpressions;

namespace DarwinGrid.Domain.Tasks;

/// <summary>
/// A number answer: <c>" 1.51\n"</c>, <c>" -3.04\n"</c>, <c>" 5.888436553555884e-05\n"</c>. With a
/// <see cref="Label"/> the number follows the label (SII_MDP writes <c>" JV default PCE: 14.9@@@"</c>).
/// </summary>
public sealed partial class NumericAnswer : AnswerFormat
{
    /// <param name="label">Text the number follows in an answer (e.g. "JV default PCE:"), or null for a bare number.</param>
    /// <param name="terminator">What ends a written answer: DARWIN uses "\n", SII_MDP "@@@".</param>
    public NumericAnswer(string? label = null, string terminator = "\n")
    {
        Label = label;
        Terminator = terminator;
    }

    public string? Label { get; }
    public string Terminator { get; }

    public static NumericAnswer Darwin { get; } = new();

    public override string Format(string input, TargetValue target, string? qualifier = null)
    {
        var number = PythonFloat.Format(target.AsNumber());
        return Label is null ? $" {number}{Terminator}" : $" {Label} {number}{Terminator}";
    }

    public override AnswerParse Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return AnswerParse.Fail(AnswerParseFailure.Empty, "The answer is empty.");

        var body = text;
        if (Label is not null)
        {
            var at = text.LastIndexOf(Label, StringComparison.OrdinalIgnoreCase);
            if (at < 0)
                return Failure(text, AnswerParseFailure.NotANumber, $"a number after '{Label}'");
            body = text[(at + Label.Length)..];
        }

        var match = LeadingNumber().Match(body.TrimStart());
        if (!match.Success)
            return Failure(text, AnswerParseFailure.NotANumber, "a number");
        var value = double.Parse(match.Groups["number"].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (!double.IsFinite(value))
            return AnswerParse.Fail(AnswerParseFailure.NotANumber, $"The number in '{Shorten(text)}' is out of range.");
        return AnswerParse.Ok(new TargetValue.Number(value));
    }

    // A number, then the end, whitespace, a separator, or a full stop that is not a decimal point:
    // "1.51", "1.51 eV", "-1.2e-3", "14.9@@@", "0.5." are numbers; "1.2.3", "1.51eV", "abc" are not.
    [GeneratedRegex(@"^(?<number>[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)(?=$|\s|[,;@]|\.(?!\d))")]
    private static partial Regex LeadingNumber();
}

namespace DarwinGrid.Domain.Tasks;

/// <summary>Why a model's answer could not be read.</summary>
public enum AnswerParseFailure
{
    None,
    /// <summary>The answer was empty or whitespace.</summary>
    Empty,
    /// <summary>The model declined, in DARWIN's distractor style ("Unable to answer ...", "X is not a composition ...").</summary>
    Refusal,
    /// <summary>A regression answer that does not start with a finite number.</summary>
    NotANumber,
    /// <summary>A classification answer that names none of the task's classes.</summary>
    UnknownClass,
}

/// <summary>
/// The outcome of reading a model's text answer: a value, or a failure with a reason. A failure is
/// never turned into a default value (DARWIN's own evaluate_matbench.py writes 0.00 on failure;
/// we do not).
/// </summary>
public sealed record AnswerParse
{
    private AnswerParse(TargetValue? value, AnswerParseFailure failure, string? error)
    {
        Value = value;
        Failure = failure;
        Error = error;
    }

    public TargetValue? Value { get; }
    public AnswerParseFailure Failure { get; }
    public string? Error { get; }
    public bool Succeeded => Value is not null;

    public static AnswerParse Ok(TargetValue value) => new(value, AnswerParseFailure.None, null);

    public static AnswerParse Fail(AnswerParseFailure failure, string error) =>
        failure == AnswerParseFailure.None
            ? throw new ArgumentException("A failed parse needs a failure reason.", nameof(failure))
            : new(null, failure, error);

    /// <summary>The value, or an exception carrying the parse error.</summary>
    public TargetValue GetValueOrThrow() =>
        Value ?? throw new FormatException(Error);
}

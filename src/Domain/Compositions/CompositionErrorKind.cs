namespace DarwinGrid.Domain.Compositions;

/// <summary>What is wrong with a composition string.</summary>
public enum CompositionErrorKind
{
    Empty,
    TooLong,
    UnknownElement,
    UnexpectedCharacter,
    /// <summary>A closing bracket without an opening one, or an opening one never closed.</summary>
    UnbalancedBrackets,
    /// <summary>A closing bracket of another kind than the one it closes, e.g. <c>(Fe]</c>.</summary>
    MismatchedBrackets,
    EmptyBrackets,
    NestingTooDeep,
    /// <summary>An amount that is zero, negative, not finite or not a number.</summary>
    InvalidAmount,
    /// <summary>A number with no element or bracket before it, e.g. <c>Fe 2</c> or <c>2O</c>.</summary>
    MisplacedNumber,
    /// <summary>A hydrate/adduct dot at the start, twice in a row, before nothing, or an ambiguous <c>.</c>.</summary>
    MisplacedAdductSeparator,
    /// <summary>Amounts whose ratio is beyond what a composition can mean (smallest/largest below 1e-12).</summary>
    AmountOutOfRange,
}

namespace DarwinGrid.Domain.Compositions;

/// <summary>
/// Why a composition string was rejected. <see cref="Position"/> counts characters from 1 (the first
/// character of the input is position 1); <see cref="Message"/> names the problem and the position.
/// </summary>
public sealed record CompositionParseError(CompositionErrorKind Kind, int Position, string Message)
{
    public override string ToString() => Message;
}

namespace DarwinGrid.Domain.Compositions;

/// <summary>A composition string that is not a chemical formula; the message says what is wrong and where.</summary>
public sealed class CompositionParseException : FormatException
{
    public CompositionParseException(string input, CompositionParseError error)
        : base(error.Message)
    {
        Input = input;
        Error = error;
    }

    public string Input { get; }
    public CompositionParseError Error { get; }
    public CompositionErrorKind Kind => Error.Kind;

    /// <summary>1-based character position of the problem.</summary>
    public int Position => Error.Position;
}

namespace DarwinGrid.Domain.Screening;

/// <summary>A filter or objective text is malformed or names an unknown task or class; the message says which.</summary>
public sealed class ScreeningParseException(string message) : FormatException(message);

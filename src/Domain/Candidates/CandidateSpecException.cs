namespace DarwinGrid.Domain.Candidates;

/// <summary>A candidate-generation spec or template is malformed; the message names the problem and where.</summary>
public sealed class CandidateSpecException(string message) : FormatException(message);

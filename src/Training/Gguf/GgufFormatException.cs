namespace DarwinGrid.Training.Gguf;

/// <summary>A file is not a GGUF this code can read; the message names the file and the problem.</summary>
public sealed class GgufFormatException(string message, Exception? inner = null) : IOException(message, inner);

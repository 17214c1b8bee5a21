namespace DarwinGrid.Inference.Models;

/// <summary>A model or adapter file that cannot be served; the message names the file and the reason.</summary>
public sealed class ModelFileException(string path, string reason, Exception? inner = null)
    : Exception($"Cannot use '{path}': {reason}", inner)
{
    public string FilePath { get; } = path;

    public string Reason { get; } = reason;
}

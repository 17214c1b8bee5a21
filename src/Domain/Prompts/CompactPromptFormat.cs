namespace DarwinGrid.Domain.Prompts;

/// <summary>
/// A short format for small models trained from scratch: "{instruction} {input}\n", e.g.
/// "Tell me band gap of given composition. -> Ag2BBr\n", answered with " 1.51\n". The input is
/// trimmed, so DARWIN-style " X\n" inputs and bare candidates give the same prompt.
/// </summary>
public sealed class CompactPromptFormat : IPromptFormat
{
    public static CompactPromptFormat Instance { get; } = new();

    public string Name => "compact";

    public string Prefix(string instruction) => instruction + " ";

    public string Complete(string instruction, string input)
    {
        var candidate = input.Trim();
        return candidate.Length == 0 ? instruction + "\n" : Prefix(instruction) + candidate + "\n";
    }
}

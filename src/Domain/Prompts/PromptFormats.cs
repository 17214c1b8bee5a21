namespace DarwinGrid.Domain.Prompts;

/// <summary>The prompt formats by name ("darwin", "compact").</summary>
public static class PromptFormats
{
    public static IReadOnlyList<IPromptFormat> All { get; } =
        [DarwinAlpacaPromptFormat.Instance, CompactPromptFormat.Instance];

    public static IPromptFormat Get(string name) =>
        All.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new KeyNotFoundException(
            $"Unknown prompt format '{name}'. Known: {string.Join(", ", All.Select(f => f.Name))}.");
}

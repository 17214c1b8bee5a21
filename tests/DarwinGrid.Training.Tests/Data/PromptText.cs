using DarwinGrid.Domain.Prompts;

namespace DarwinGrid.Training.Tests.Data;

/// <summary>Reads the candidate back out of a prompt's text, independently of how the pipeline built it.</summary>
internal static class PromptText
{
    private const string InputHeader = "### Input:\n";
    private const string ResponseHeader = "\n\n### Response:";

    /// <summary>The trimmed input of a darwin- or compact-format prompt, or null when the prompt has none.</summary>
    public static string? InputOf(string prompt)
    {
        if (prompt.StartsWith(DarwinAlpacaPromptFormat.InputHeader, StringComparison.Ordinal))
        {
            var start = prompt.IndexOf(InputHeader, StringComparison.Ordinal) + InputHeader.Length;
            var end = prompt.LastIndexOf(ResponseHeader, StringComparison.Ordinal);
            return prompt[start..end].Trim();
        }
        if (prompt.StartsWith(DarwinAlpacaPromptFormat.NoInputHeader, StringComparison.Ordinal))
            return null;
        // Compact: "{instruction ending in ->} {input}\n".
        var arrow = prompt.LastIndexOf("-> ", StringComparison.Ordinal);
        return arrow < 0 ? null : prompt[(arrow + 3)..].Trim();
    }

    public static string InstructionOfDarwinPrompt(string prompt)
    {
        const string header = "### Instruction:\n";
        var start = prompt.IndexOf(header, StringComparison.Ordinal) + header.Length;
        return prompt[start..prompt.IndexOf("\n\n###", start, StringComparison.Ordinal)];
    }
}

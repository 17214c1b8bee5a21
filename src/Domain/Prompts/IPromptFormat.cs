namespace DarwinGrid.Domain.Prompts;

/// <summary>
/// Turns an instruction and an input into the text a model continues with its answer.
/// </summary>
public interface IPromptFormat
{
    string Name { get; }

    /// <summary>
    /// The text before the input. For a non-empty input, <c>Complete(i, x)</c> starts with
    /// <c>Prefix(i)</c>, so an engine can evaluate the prefix once and share it across candidates.
    /// </summary>
    string Prefix(string instruction);

    /// <summary>The whole prompt; the model's response follows it directly.</summary>
    string Complete(string instruction, string input);
}

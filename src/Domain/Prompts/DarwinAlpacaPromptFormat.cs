namespace DarwinGrid.Domain.Prompts;

/// <summary>
/// The Stanford Alpaca PROMPT_DICT that DARWIN's train.py uses, byte for byte, so a DARWIN model
/// sees exactly its training layout. The input goes in verbatim: pass DARWIN's own input text
/// (" In5AgTe8\n", see <c>PropertyTask.DarwinInput</c>), which makes the training prompt end in
/// "\n\n\n### Response:". As in train.py, an empty input selects the no-input template.
/// </summary>
public sealed class DarwinAlpacaPromptFormat : IPromptFormat
{
    public const string InputHeader =
        "Below is an instruction that describes a task, paired with an input that provides further context. " +
        "Write a response that appropriately completes the request.\n\n";

    public const string NoInputHeader =
        "Below is an instruction that describes a task. " +
        "Write a response that appropriately completes the request.\n\n";

    public static DarwinAlpacaPromptFormat Instance { get; } = new();

    public string Name => "darwin";

    public string Prefix(string instruction) =>
        $"{InputHeader}### Instruction:\n{instruction}\n\n### Input:\n";

    public string Complete(string instruction, string input) =>
        input.Length == 0
            ? $"{NoInputHeader}### Instruction:\n{instruction}\n\n### Response:"
            : $"{Prefix(instruction)}{input}\n\n### Response:";
}

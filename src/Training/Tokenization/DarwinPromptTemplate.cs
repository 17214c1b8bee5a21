namespace DarwinGrid.Training.Tokenization;

/// <summary>
/// DARWIN's Alpaca-style prompt: the model reads <see cref="Format"/> and is trained to continue it
/// with the record's output (which in DARWIN's data starts with a space, e.g. <c>" 1.51\n"</c>).
/// </summary>
public static class DarwinPromptTemplate
{
    public const string Preamble =
        "Below is an instruction that describes a task, paired with an input that provides further context. " +
        "Write a response that appropriately completes the request.";

    public static string Format(string instruction, string input) =>
        $"{Preamble}\n\n### Instruction:\n{instruction}\n\n### Input:\n{input}\n\n### Response:";

    /// <summary>The prompt followed by the expected output, as one training text.</summary>
    public static string FormatWithOutput(string instruction, string input, string output) =>
        Format(instruction, input) + output;
}

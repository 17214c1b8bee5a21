namespace DarwinGrid.Inference.Benchmarks;

/// <summary>
/// The DARWIN Alpaca prompt for a band-gap question, split into the part shared by every
/// candidate and the candidate's own input. (Written here until the task catalog lands.)
/// </summary>
public static class BenchmarkPrompt
{
    public const string Instruction = "What is band gap of given composition? ->";

    public static string SharedPrefix(string instruction = Instruction) =>
        "Below is an instruction that describes a task, paired with an input that provides further context. " +
        "Write a response that appropriately completes the request.\n\n" +
        $"### Instruction:\n{instruction}\n\n### Input:\n";

    public static string Suffix(string input) => $"{input}\n\n### Response:";

    /// <summary>The compositions (first column) of a matbench CSV, in file order.</summary>
    public static IReadOnlyList<string> ReadCompositions(string csvPath)
    {
        if (!File.Exists(csvPath)) throw new FileNotFoundException($"The composition file '{csvPath}' does not exist.", csvPath);
        var compositions = File.ReadLines(csvPath).Skip(1)
            .Select(line => line.Split(',')[0].Trim())
            .Where(c => c.Length > 0).ToArray();
        if (compositions.Length == 0) throw new InvalidDataException($"'{csvPath}' has no compositions below its header.");
        return compositions;
    }
}

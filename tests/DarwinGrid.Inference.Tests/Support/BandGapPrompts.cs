using DarwinGrid.TestSupport;

namespace DarwinGrid.Inference.Tests.Support;

/// <summary>Alpaca-format band-gap prompts for real compositions from the shared matbench data.</summary>
internal static class BandGapPrompts
{
    public const string Prefix =
        "Below is an instruction that describes a task, paired with an input that provides further context. " +
        "Write a response that appropriately completes the request.\n\n### Instruction:\nWhat is band gap of given composition? ->\n\n### Input:\n";

    public static string Suffix(string composition) => composition + "\n\n### Response:";

    public static IReadOnlyList<string> Compositions(int count) =>
        File.ReadLines(SharedData.PathOf("darwin", "matbench_expt_gap", "matbench_expt_gap.csv"))
            .Skip(1).Select(line => line.Split(',')[0]).Where(c => c.Length > 0)
            .Take(count).ToArray();
}

namespace DarwinGrid.Domain.Tasks;

/// <summary>
/// DARWIN's answer sentences and question patterns, shared by the catalog entries.
/// </summary>
public static class DarwinPhrasing
{
    /// <summary>
    /// The four question forms of DARWIN's converters, with an optional condition at the end
    /// (" at 300 K"), e.g. "What is band gap of given composition? ->".
    /// </summary>
    public static IReadOnlyList<string> Questions(string property, string inputNoun, string condition = "") =>
    [
        $"What is {property} of given {inputNoun}{condition}? ->",
        $"Write {property} of given {inputNoun}{condition}. ->",
        $"Given {inputNoun}, write its {property}{condition}. ->",
        $"Tell me {property} of given {inputNoun}{condition}. ->",
    ];

    /// <summary>
    /// Yes/No classes as in matbench_is_metal: " Yes, X is metal.\n" / " No, X is not metal.\n".
    /// Class 0 is "false" (No), class 1 is "true" (Yes).
    /// </summary>
    public static ClassAnswer YesNo(string positiveSentence, string negativeSentence,
        IReadOnlyList<string> positiveValues, IReadOnlyList<string> negativeValues) =>
        new([
            new ClassLabel("false", " No", $" No, {negativeSentence}\n", negativeValues),
            new ClassLabel("true", " Yes", $" Yes, {positiveSentence}\n", positiveValues),
        ]);

    /// <summary>Classes answered by their bare name: " fcc\n".</summary>
    public static ClassAnswer Names(params string[] names) =>
        new(names.Select(n => new ClassLabel(n, " " + n, $" {n}\n", [n])).ToList());
}

using System.Globalization;

namespace DarwinGrid.Silo.LanguageModelEvaluation;

/// <summary>
/// The seeds <c>darwin eval</c> trains an <c>llm:</c> model with (<c>--seed S</c> or <c>--seeds 1,2,3</c>)
/// and how they show: one seed is one model, several are an ensemble of one member per seed. Seed 1
/// alone is the evaluation as it was before seeds could be chosen (same name, files and folders), so
/// existing results stay valid; any other choice gets its own name and predictions files.
/// </summary>
public static class EnsembleSeeds
{
    public const int MaxMembers = 8;

    public static IReadOnlyList<int> Default { get; } = [1];

    /// <summary>The seeds the options ask for (none given: seed 1).</summary>
    /// <exception cref="ArgumentException">Both options, an unreadable, repeated or non-positive seed, or more than <see cref="MaxMembers"/>.</exception>
    public static IReadOnlyList<int> Parse(int? seed, string? seeds)
    {
        if (seed is not null && seeds is not null)
            throw new ArgumentException("Give --seed S (one model) or --seeds S1,S2,... (an ensemble), not both.");
        if (seed is { } one)
            return one >= 1 ? [one] : throw new ArgumentException($"--seed must be at least 1 (got {one}).");
        if (seeds is null) return Default;
        var parsed = seeds.Split(',', StringSplitOptions.TrimEntries).Select(text =>
            int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var s)
                ? s
                : throw new ArgumentException($"--seeds: '{text}' is not a whole number; give distinct seeds >= 1, e.g. --seeds 1,2,3.")).ToArray();
        return Check(parsed, "--seeds");
    }

    /// <summary><paramref name="seeds"/> in ascending order when it is a valid choice; otherwise why not (<paramref name="option"/> names it).</summary>
    public static IReadOnlyList<int> Check(IReadOnlyList<int> seeds, string option = "seeds")
    {
        if (seeds.Count == 0) throw new ArgumentException($"{option} names no seed.");
        if (seeds.Count > MaxMembers) throw new ArgumentException($"{option}: at most {MaxMembers} seeds (got {seeds.Count}).");
        if (seeds.Where(s => s < 1).ToArray() is [var bad, ..])
            throw new ArgumentException($"{option}: every seed must be at least 1 (got {bad}).");
        if (seeds.GroupBy(s => s).FirstOrDefault(g => g.Count() > 1) is { } repeated)
            throw new ArgumentException($"{option}: seed {repeated.Key} is given twice; the seeds must be distinct.");
        // The mean does not depend on the order: 2,1 and 1,2 are the same ensemble, with the same files.
        return seeds.Order().ToArray();
    }

    /// <summary>The report name: <c>darwin-mini</c> (seed 1), <c>darwin-mini seed 2</c>, <c>darwin-mini x3</c> (an ensemble of three).</summary>
    public static string ModelName(string name, IReadOnlyList<int> seeds) =>
        seeds.Count > 1 ? $"{name} x{seeds.Count}" : seeds[0] == 1 ? name : $"{name} seed {seeds[0]}";

    /// <summary>A member's name in an ensemble's messages: <c>darwin-mini seed 2</c>.</summary>
    public static string MemberName(string name, int seed) => $"{name} seed {seed}";

    /// <summary>
    /// The part of the predictions files' names that keeps these seeds' answers apart: none for seed 1
    /// (today's files), <c>seed-2</c>, <c>seeds-1-2-3</c>.
    /// </summary>
    public static string? Variant(IReadOnlyList<int> seeds) =>
        seeds.Count > 1 ? "seeds-" + string.Join("-", seeds) : seeds[0] == 1 ? null : $"seed-{seeds[0]}";

    /// <summary>Words for a model's description: <c>seed 2</c>, <c>an ensemble of seeds 1, 2, 3 (...)</c>.</summary>
    public static string Describe(IReadOnlyList<int> seeds) =>
        seeds.Count == 1 ? $"seed {seeds[0]}"
        : $"an ensemble of {seeds.Count} models, seeds {string.Join(", ", seeds)} (numbers: mean of the members' estimates and of their interval bounds; classes: mean of their probabilities)";
}

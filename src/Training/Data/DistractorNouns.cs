using DarwinGrid.Domain.Datasets;
using DarwinGrid.Domain.Tasks;

namespace DarwinGrid.Training.Data;

/// <summary>
/// The random English nouns DARWIN used as unanswerable inputs ("price", "kohlrabi"), collected from
/// its instruction JSON: records whose output is one of the catalog's refusal templates with the
/// record's own input filled in. Reading them from the data keeps DARWIN's word list out of our code.
/// </summary>
public static class DistractorNouns
{
    /// <summary>The catalog tasks' DARWIN instruction files that hold distractors.</summary>
    public static IReadOnlyList<string> SourceFiles(IEnumerable<PropertyTask> tasks) =>
        tasks.Where(t => t.Distractors is not null && t.DarwinInstructionFile is not null)
            .Select(t => t.DarwinInstructionFile!)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();

    /// <summary>The distinct nouns (ordinal order) from the whole catalog's files, so the list does not depend on the task selection.</summary>
    public static IReadOnlyList<string> Harvest(string dataRoot) => Harvest(dataRoot, TaskCatalog.All);

    public static IReadOnlyList<string> Harvest(string dataRoot, IEnumerable<PropertyTask> tasks)
    {
        var catalog = tasks.ToArray();
        var templates = catalog
            .SelectMany(t => t.Distractors?.RefusalAnswers ?? [])
            .Where(a => a.Contains("{input}", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .Select(a => (Before: a[..a.IndexOf("{input}", StringComparison.Ordinal)], After: a[(a.IndexOf("{input}", StringComparison.Ordinal) + 7)..]))
            .ToArray();

        var nouns = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var file in SourceFiles(catalog))
        {
            foreach (var record in InstructionJsonReader.Read(DataFiles.Resolve(dataRoot, file)))
            {
                var input = record.Input.Trim();
                if (input.Length == 0 || !input.All(c => char.IsLetter(c) || c is ' ' or '-' or '\''))
                    continue;
                if (templates.Any(t => record.Output == t.Before + input + t.After))
                    nouns.Add(input);
            }
        }
        return nouns.ToArray();
    }
}

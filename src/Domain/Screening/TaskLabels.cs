using DarwinGrid.Domain.Tasks;

namespace DarwinGrid.Domain.Screening;

/// <summary>
/// Reads a class as users write it: its canonical name (<c>false</c>, <c>bcc</c>, <c>high</c>, <c>2D</c>),
/// its answer word (<c>No</c>, <c>Yes</c>), and for binary tasks <c>yes/true/1/positive</c> for the
/// positive class (the second) and <c>no/false/0/negative</c> for the negative one (the first).
/// Case is ignored.
/// </summary>
public static class TaskLabels
{
    private static readonly string[] PositiveWords = ["true", "yes", "1", "positive"];
    private static readonly string[] NegativeWords = ["false", "no", "0", "negative"];

    /// <summary>The canonical class name <paramref name="text"/> denotes, or null.</summary>
    public static string? TryResolve(PropertyTask task, string text)
    {
        var value = text.Trim();
        foreach (var label in task.Classes)
        {
            if (string.Equals(label.Name, value, StringComparison.OrdinalIgnoreCase)
                || string.Equals(label.Option.Trim(), value, StringComparison.OrdinalIgnoreCase))
                return label.Name;
        }
        if (task.Kind == TaskKind.Binary)
        {
            if (PositiveWords.Contains(value, StringComparer.OrdinalIgnoreCase))
                return task.Classes[1].Name;
            if (NegativeWords.Contains(value, StringComparer.OrdinalIgnoreCase))
                return task.Classes[0].Name;
        }
        return null;
    }

    /// <summary>The positive class of a binary task (the second class: "true", "high").</summary>
    public static string Positive(PropertyTask task) => task.Classes[1].Name;

    /// <summary>"false (No), true (Yes)": the classes as a message lists them.</summary>
    public static string Describe(PropertyTask task) =>
        string.Join(", ", task.Classes.Select(c =>
            string.Equals(c.Name, c.Option.Trim(), StringComparison.OrdinalIgnoreCase) ? c.Name : $"{c.Name} ({c.Option.Trim()})"));
}

using DarwinGrid.Domain.Tasks;

namespace DarwinGrid.Web.Formatting;

/// <summary>How the dashboard names a property task: its friendliest alias as words ("Band gap"), and its unit.</summary>
public static class PropertyNames
{
    /// <summary>The first alias listed for each task is the one people say ("band_gap", not "expt_gap").</summary>
    private static readonly IReadOnlyDictionary<string, string> PreferredAlias = TaskAliases.All
        .GroupBy(pair => pair.Value, StringComparer.OrdinalIgnoreCase)
        .ToDictionary(group => group.Key, group => group.First().Key, StringComparer.OrdinalIgnoreCase);

    /// <summary>"Band gap" for matbench_expt_gap; the catalog name as words for tasks without an alias ("Magnetic moment").</summary>
    public static string Display(string task)
    {
        var name = TaskAliases.TryResolve(task)?.Name ?? task;
        return Humanize(PreferredAlias.TryGetValue(name, out var alias) ? alias : name);
    }

    /// <summary>What a chart axis plots: "Band gap (eV)", or "Is metal (probability)" for a classification's positive class.</summary>
    public static string AxisTitle(string task) => IsRegression(task) ? WithUnit(task) : $"{Display(task)} (probability)";

    /// <summary>The unit of a regression task ("eV", "MPa"), empty when unitless or a classification.</summary>
    public static string Unit(string task) => TaskAliases.TryResolve(task)?.Unit ?? "";

    /// <summary>"Band gap (eV)" or "Is metal".</summary>
    public static string WithUnit(string task) =>
        Unit(task) is { Length: > 0 } unit ? $"{Display(task)} ({unit})" : Display(task);

    public static bool IsRegression(string task) => TaskAliases.TryResolve(task)?.Kind is null or TaskKind.Regression;

    private static string Humanize(string alias)
    {
        var words = alias.Replace('_', ' ');
        return words.Length == 0 ? words : char.ToUpperInvariant(words[0]) + words[1..];
    }
}

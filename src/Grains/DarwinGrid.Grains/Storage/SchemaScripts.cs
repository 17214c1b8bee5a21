using System.Globalization;
using System.Reflection;

namespace DarwinGrid.Grains.Storage;

/// <summary>
/// The schema steps of each component per vendor, read from the SQL scripts embedded from
/// <c>Storage/Schemas/{vendor}/{component}.{version}.sql</c> (first line: <c>-- description</c>).
/// Append a new step as a new script for every vendor; never edit one that has been applied.
/// </summary>
internal static class SchemaScripts
{
    /// <summary>The results store's component in <c>schema_versions</c>.</summary>
    public const string Results = "results";

    /// <summary>The grain storage's component in <c>schema_versions</c>.</summary>
    public const string GrainState = "grain_state";

    /// <summary>The steps of <paramref name="component"/> in the scripts folder <paramref name="vendor"/>, in version order.</summary>
    public static IReadOnlyList<SchemaMigration> Load(string vendor, string component)
    {
        var assembly = typeof(SchemaScripts).Assembly;
        var prefix = $"{typeof(SchemaScripts).Namespace}.Schemas.{vendor}.{component}.";
        var steps = assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(prefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Select(name => Read(assembly, name, int.Parse(name[prefix.Length..^".sql".Length], CultureInfo.InvariantCulture)))
            .OrderBy(step => step.Version)
            .ToList();
        if (steps.Count == 0 || steps.Select((step, i) => step.Version != i + 1).Any(gap => gap))
            throw new InvalidOperationException($"The {vendor} {component} schema scripts are missing or not numbered 1, 2, ... ({steps.Count} found).");
        return steps;
    }

    private static SchemaMigration Read(Assembly assembly, string name, int version)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        var sql = reader.ReadToEnd();
        var description = sql.Split('\n', 2)[0].TrimStart('-', ' ').Trim();
        return new SchemaMigration(version, description, sql);
    }
}

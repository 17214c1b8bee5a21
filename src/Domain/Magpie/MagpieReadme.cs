namespace DarwinGrid.Domain.Magpie;

/// <summary>Property descriptions and units that <c>README.txt</c> of the Magpie tables gives per file.</summary>
internal sealed record MagpieTableInfo(string? Description, string? Units);

/// <summary>
/// Parses the Magpie <c>README.txt</c>: blocks that start with <c>Name.table</c> followed by indented
/// <c>Property:</c>, <c>Units:</c>, <c>Source:</c> lines. The first Property and Units of a block win.
/// </summary>
internal static class MagpieReadme
{
    // The README has two slips that parsing cannot see: the SecondIonizationEnergy block is headed
    // "FirstIonizationEnergy.table" (its Property says "second electron"), and the Angstrom units of
    // GSestBCClatcnt landed inside the HeatCapacityMolar block. These entries put them right.
    private static readonly IReadOnlyDictionary<string, MagpieTableInfo> Corrections =
        new Dictionary<string, MagpieTableInfo>
        {
            ["SecondIonizationEnergy"] = new("Energy to remove the second electron from an element", "eV"),
            ["GSestBCClatcnt"] = new(
                "Estimated BCC lattice parameter based on the DFT volume of the OQMD ground state for each element",
                "Angstrom"),
        };

    public static IReadOnlyDictionary<string, MagpieTableInfo> Read(string path)
    {
        var result = new Dictionary<string, MagpieTableInfo>(StringComparer.Ordinal);
        if (File.Exists(path))
        {
            string? current = null;
            string? description = null, units = null;
            foreach (var rawLine in File.ReadLines(path))
            {
                var line = rawLine.Trim();
                if (line.EndsWith(".table", StringComparison.Ordinal) && !char.IsWhiteSpace(rawLine.FirstOrDefault(' ')))
                {
                    Store();
                    current = line[..^".table".Length];
                    description = units = null;
                }
                else if (current is not null)
                {
                    description ??= ValueAfter(line, "Property:");
                    units ??= ValueAfter(line, "Units:");
                }
            }
            Store();

            void Store()
            {
                if (current is not null)
                    result.TryAdd(current, new MagpieTableInfo(description, units));
            }
        }
        foreach (var (name, info) in Corrections)
            result[name] = info;
        return result;
    }

    private static string? ValueAfter(string line, string label) =>
        line.StartsWith(label, StringComparison.Ordinal) && line.Length > label.Length
            ? line[label.Length..].Trim()
            : null;
}

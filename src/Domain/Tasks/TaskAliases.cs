namespace DarwinGrid.Domain.Tasks;

/// <summary>
/// Friendly names for catalog tasks in filters, objectives and the dashboard (<c>band_gap</c> →
/// <c>matbench_expt_gap</c>). Names compare ignoring case, with '-' and ' ' read as '_'. Every catalog
/// name resolves to itself too. Only unambiguous aliases are listed: "pce" could be one of four tasks,
/// so it is not an alias.
/// </summary>
public static class TaskAliases
{
    /// <summary>Alias → catalog task name.</summary>
    public static IReadOnlyDictionary<string, string> All { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["band_gap"] = "matbench_expt_gap",
        ["expt_gap"] = "matbench_expt_gap",
        ["is_metal"] = "matbench_is_metal",
        ["metal"] = "matbench_is_metal",
        ["glass"] = "matbench_glass",
        ["glass_forming"] = "matbench_glass",
        ["yield_strength"] = "matbench_steels",
        ["steels"] = "matbench_steels",
        ["phase"] = "pei_phase",
        ["alloy_phase"] = "pei_phase",
        ["solubility"] = "esol_log_solubility",
        ["lipophilicity"] = "chembl_lipophilicity",
        ["zt"] = "thermoelectric_zt_300k",
        ["seebeck"] = "thermoelectric_seebeck_300k",
        ["resistivity"] = "thermoelectric_resistivity_300k",
        ["formation_energy"] = "magnetic_formation_energy",
        ["polarization"] = "magnetic_polarization",
        ["superconducting"] = "polar_metal_superconducting",
        ["dimensionality"] = "dukedb_dimensionality",
        ["heat_capacity"] = "moosavi_heat_capacity_300k",
        ["perovskite_band_gap"] = "epvdb_band_gap",
    };

    /// <summary>The task named <paramref name="nameOrAlias"/> (a catalog name or an alias), or null.</summary>
    public static PropertyTask? TryResolve(string nameOrAlias)
    {
        var key = Normalize(nameOrAlias);
        return TaskCatalog.TryGet(All.GetValueOrDefault(key, key));
    }

    /// <exception cref="KeyNotFoundException">Neither a task nor an alias; the message lists both.</exception>
    public static PropertyTask Resolve(string nameOrAlias) =>
        TryResolve(nameOrAlias) ?? throw new KeyNotFoundException(
            $"Unknown property '{nameOrAlias}'. Aliases: {string.Join(", ", All.Keys)}. " +
            $"Tasks: {string.Join(", ", TaskCatalog.All.Select(t => t.Name))}.");

    private static string Normalize(string name) => name.Trim().Replace('-', '_').Replace(' ', '_');
}

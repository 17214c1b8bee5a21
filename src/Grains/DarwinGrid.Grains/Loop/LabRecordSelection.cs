using System.Security.Cryptography;
using System.Text;

namespace DarwinGrid.Grains.Loop;

/// <summary>
/// The lab records an update learns from and the ones it holds out to score before and after.
/// A later version's row for the same (composition, task, conditions) supersedes an earlier one.
/// The held-out part is chosen by a hash of (composition, task): about one record in
/// <see cref="HoldOutOneIn"/>, at least one when there are two or more, and the same record stays
/// held out in every later update, so before/after scores of successive rounds never score a
/// record an earlier update trained on.
/// </summary>
public static class LabRecordSelection
{
    public const int HoldOutOneIn = 5;

    /// <summary>The current rows: the latest version's value per (composition, task, conditions).</summary>
    public static IReadOnlyList<LabMeasurement> Current(IEnumerable<StoredLabDataset> datasets)
    {
        var latest = new Dictionary<(string, string, string), LabMeasurement>();
        foreach (var dataset in datasets.OrderBy(d => d.Info.Version))
            foreach (var row in dataset.Rows)
                latest[(row.Composition, row.Task, row.Conditions ?? "")] = row;
        return [.. latest.Values];
    }

    public static (IReadOnlyList<LabMeasurement> Train, IReadOnlyList<LabMeasurement> HeldOut) Split(IReadOnlyList<LabMeasurement> rows)
    {
        if (rows.Count < 2)
            return (rows, []);
        var keyed = rows.Select(r => (Row: r, Hash: Hash(r))).ToList();
        var heldOut = keyed.Where(k => k.Hash % HoldOutOneIn == 0).Select(k => k.Row).ToList();
        if (heldOut.Count == 0)
            heldOut.Add(keyed.MinBy(k => k.Hash).Row);
        if (heldOut.Count == rows.Count)
            heldOut.RemoveAt(heldOut.Count - 1);
        var held = heldOut.ToHashSet();
        return ([.. rows.Where(r => !held.Contains(r))], heldOut);
    }

    private static ulong Hash(LabMeasurement row) =>
        BitConverter.ToUInt64(SHA256.HashData(Encoding.UTF8.GetBytes($"{row.Composition}\n{row.Task}")), 0);
}

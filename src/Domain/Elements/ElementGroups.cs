using System.Diagnostics.CodeAnalysis;

namespace DarwinGrid.Domain.Elements;

/// <summary>
/// Named sets of elements for candidate templates (<c>A=alkali</c>), taken from the periodic table's
/// layout. Names are case-insensitive and listed in <see cref="Names"/>; members are in atomic-number order.
/// Membership (elements up to lawrencium, Z ≤ 103; superheavy elements must be named explicitly):
/// <list type="bullet">
/// <item><c>alkali</c> group 1 without H (Li–Fr); <c>alkaline-earth</c> group 2 (Be–Ra);</item>
/// <item><c>transition-metals</c> groups 3–12 of periods 4–6 = <c>3d</c> (Sc–Zn) ∪ <c>4d</c> (Y–Cd) ∪
///   <c>5d</c> (Lu, Hf–Hg); group 3 follows IUPAC (Sc, Y, Lu), so La is a lanthanide only;</item>
/// <item><c>lanthanides</c> La–Lu; <c>actinides</c> Ac–Lr; <c>rare-earths</c> Sc, Y, La–Lu;</item>
/// <item><c>triels</c> B–Tl, <c>tetrels</c> C–Pb, <c>pnictogens</c> N–Bi, <c>chalcogens</c> O–Po,
///   <c>halogens</c> F–At, <c>noble-gases</c> He–Rn (groups 13–18);</item>
/// <item><c>metalloids</c> B, Si, Ge, As, Sb, Te; <c>post-transition-metals</c> Al, Ga, In, Sn, Tl, Pb, Bi;</item>
/// <item><c>group-1</c> … <c>group-18</c>: a whole column (f-block elements La–Yb and Ac–No have no group number).</item>
/// </list>
/// </summary>
public static class ElementGroups
{
    /// <summary>Named groups stop here: superheavy elements have no chemistry worth screening.</summary>
    public const int LastGroupedAtomicNumber = 103;

    private static readonly int[] PeriodStarts = [1, 3, 11, 19, 37, 55, 87, 119];

    private static readonly IReadOnlyDictionary<string, IReadOnlyList<Element>> Groups = Build();

    private static readonly IReadOnlyDictionary<string, string> Aliases = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["alkali-metals"] = "alkali",
        ["alkaline-earths"] = "alkaline-earth",
        ["alkaline-earth-metals"] = "alkaline-earth",
        ["transition-metal"] = "transition-metals",
        ["tm"] = "transition-metals",
        ["lanthanoids"] = "lanthanides",
        ["actinoids"] = "actinides",
        ["rare-earth"] = "rare-earths",
        ["boron-group"] = "triels",
        ["carbon-group"] = "tetrels",
        ["nitrogen-group"] = "pnictogens",
        ["oxygen-group"] = "chalcogens",
        ["noble-gas"] = "noble-gases",
    };

    /// <summary>The canonical group names (aliases such as <c>alkali-metals</c> are accepted too but not listed).</summary>
    public static IEnumerable<string> Names => Groups.Keys;

    public static bool TryGet(string name, [NotNullWhen(true)] out IReadOnlyList<Element>? elements)
    {
        var canonical = Aliases.GetValueOrDefault(name, name);
        return Groups.TryGetValue(canonical, out elements);
    }

    public static IReadOnlyList<Element> Get(string name) =>
        TryGet(name, out var elements)
            ? elements
            : throw new KeyNotFoundException($"Unknown element group '{name}'. Known groups: {string.Join(", ", Names)}.");

    /// <summary>The IUPAC group (column 1–18) of <paramref name="element"/>; null for La–Yb and Ac–No (f-block).</summary>
    public static int? GroupNumber(Element element)
    {
        var z = element.AtomicNumber;
        var period = Array.FindLastIndex(PeriodStarts, start => start <= z) + 1;
        var offset = z - PeriodStarts[period - 1];
        return period switch
        {
            1 => z == 1 ? 1 : 18,
            2 or 3 => offset < 2 ? offset + 1 : offset + 11,
            4 or 5 => offset + 1,
            _ => offset switch
            {
                < 2 => offset + 1,
                < 16 => null,
                16 => 3,
                _ => offset - 13,
            },
        };
    }

    /// <summary>The period (row 1–7) of <paramref name="element"/>.</summary>
    public static int Period(Element element) =>
        Array.FindLastIndex(PeriodStarts, start => start <= element.AtomicNumber) + 1;

    private static Dictionary<string, IReadOnlyList<Element>> Build()
    {
        var grouped = PeriodicTable.All.Where(e => e.AtomicNumber <= LastGroupedAtomicNumber).ToList();
        IReadOnlyList<Element> Column(int group) => grouped.Where(e => GroupNumber(e) == group).ToList();
        IReadOnlyList<Element> Range(int first, int last) => grouped.Where(e => e.AtomicNumber >= first && e.AtomicNumber <= last).ToList();
        IReadOnlyList<Element> Symbols(params string[] symbols) =>
            symbols.Select(PeriodicTable.BySymbol).OrderBy(e => e.AtomicNumber).ToList();
        IReadOnlyList<Element> TransitionRow(int period) =>
            grouped.Where(e => Period(e) == period && GroupNumber(e) is >= 3 and <= 12).ToList();

        var groups = new Dictionary<string, IReadOnlyList<Element>>(StringComparer.OrdinalIgnoreCase)
        {
            ["alkali"] = Column(1).Where(e => e.Symbol != "H").ToList(),
            ["alkaline-earth"] = Column(2),
            ["transition-metals"] = [.. TransitionRow(4), .. TransitionRow(5), .. TransitionRow(6)],
            ["3d"] = TransitionRow(4),
            ["4d"] = TransitionRow(5),
            ["5d"] = TransitionRow(6),
            ["lanthanides"] = Range(57, 71),
            ["actinides"] = Range(89, 103),
            ["rare-earths"] = [.. Symbols("Sc", "Y"), .. Range(57, 71)],
            ["triels"] = Column(13),
            ["tetrels"] = Column(14),
            ["pnictogens"] = Column(15),
            ["chalcogens"] = Column(16),
            ["halogens"] = Column(17),
            ["noble-gases"] = Column(18),
            ["metalloids"] = Symbols("B", "Si", "Ge", "As", "Sb", "Te"),
            ["post-transition-metals"] = Symbols("Al", "Ga", "In", "Sn", "Tl", "Pb", "Bi"),
        };
        for (var group = 1; group <= 18; group++)
            groups[$"group-{group}"] = Column(group);
        return groups;
    }
}

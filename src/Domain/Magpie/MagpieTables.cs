using System.Diagnostics.CodeAnalysis;
using DarwinGrid.Domain.Elements;

namespace DarwinGrid.Domain.Magpie;

/// <summary>
/// The Magpie elemental property tables of one folder (matminer's <c>magpie_elementdata</c>), by
/// property name (file name without <c>.table</c>, case-sensitive: <c>AtomicWeight</c>, <c>Electronegativity</c>).
/// </summary>
public sealed class MagpieTables
{
    public const string OxidationStatesTable = "OxidationStates";

    private readonly IReadOnlyDictionary<string, MagpieTable> _tables;
    private readonly int[][]? _oxidationStatesByAtomicNumber;

    private MagpieTables(IReadOnlyDictionary<string, MagpieTable> tables)
    {
        _tables = tables;
        // Precomputed because the charge-neutrality filter asks for them once per candidate element.
        if (tables.TryGetValue(OxidationStatesTable, out var oxidationStates))
            _oxidationStatesByAtomicNumber = PeriodicTable.All.Select(e => ToWholeNumbers(oxidationStates, e)).ToArray();
    }

    /// <summary>Reads every <c>*.table</c> file of <paramref name="directory"/> and the units of its README.txt.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">A table has a line that is neither numbers nor a missing marker.</exception>
    public static MagpieTables Load(string directory)
    {
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"Magpie element data folder '{directory}' does not exist.");
        var files = Directory.GetFiles(directory, "*.table");
        if (files.Length == 0)
            throw new InvalidDataException($"Magpie element data folder '{directory}' holds no *.table files.");

        var readme = MagpieReadme.Read(Path.Combine(directory, "README.txt"));
        var tables = new Dictionary<string, MagpieTable>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var name = Path.GetFileNameWithoutExtension(file);
            var values = MagpieTableReader.Read(file, emptyLineIsEmptyList: name == OxidationStatesTable);
            var info = readme.GetValueOrDefault(name);
            tables[name] = new MagpieTable(name, info?.Description, info?.Units, values);
        }
        return new MagpieTables(tables);
    }

    public IEnumerable<string> Names => _tables.Keys.Order(StringComparer.Ordinal);

    public MagpieTable this[string name] =>
        _tables.TryGetValue(name, out var table)
            ? table
            : throw new KeyNotFoundException(
                $"No Magpie table '{name}'. Known tables: {string.Join(", ", Names)}.");

    public bool TryGet(string name, [NotNullWhen(true)] out MagpieTable? table) => _tables.TryGetValue(name, out table);

    /// <summary>
    /// The commonly observed oxidation states of <paramref name="element"/>, ascending as the table lists
    /// them; empty for elements with none listed (noble gases) and for elements past the table's end.
    /// </summary>
    /// <exception cref="KeyNotFoundException">The folder had no OxidationStates.table.</exception>
    public IReadOnlyList<int> OxidationStates(Element element) =>
        _oxidationStatesByAtomicNumber is null
            ? throw new KeyNotFoundException($"The Magpie tables hold no '{OxidationStatesTable}' table.")
            : _oxidationStatesByAtomicNumber[element.AtomicNumber - 1];

    private static int[] ToWholeNumbers(MagpieTable table, Element element)
    {
        var values = table.ValuesOf(element);
        var states = new int[values.Count];
        for (var i = 0; i < states.Length; i++)
        {
            var rounded = Math.Round(values[i]);
            if (rounded != values[i])
                throw new InvalidDataException(
                    $"Oxidation state {values[i]} of {element.Symbol} in table '{table.Name}' is not a whole number.");
            states[i] = (int)rounded;
        }
        return states;
    }
}

using DarwinGrid.Domain.Compositions;
using DarwinGrid.Domain.Magpie;

namespace DarwinGrid.Domain.Descriptors;

/// <summary>
/// The Magpie composition descriptors of Ward et al. (2016) as matminer computes them with
/// <c>ElementProperty.from_preset("magpie")</c> + <c>Stoichiometry()</c> + <c>ValenceOrbital</c>
/// fractions: for each of the 22 preset properties the fraction-weighted mean, average deviation,
/// minimum, maximum, range and (weighted) mode; the stoichiometric p-norms for p = 0, 2, 3, 5, 7, 10;
/// and the fraction of valence electrons in s, p, d and f orbitals. 142 features in all.
/// <para>
/// Missing element values: where the table has no value for an element of the composition
/// (e.g. the electronegativity of a noble gas), every statistic of that property is NaN for that
/// composition, as in matminer. Filling the gap is the model's business (the Evaluation baselines
/// put in the training part's column mean), so no training information leaks in here.
/// </para>
/// </summary>
public sealed class MagpieFeaturizer
{
    /// <summary>matminer's "magpie" preset of <c>ElementProperty</c>, in its order.</summary>
    public static IReadOnlyList<string> PresetProperties { get; } =
    [
        "Number", "MendeleevNumber", "AtomicWeight", "MeltingT", "Column", "Row", "CovalentRadius",
        "Electronegativity", "NsValence", "NpValence", "NdValence", "NfValence", "NValence",
        "NsUnfilled", "NpUnfilled", "NdUnfilled", "NfUnfilled", "NUnfilled", "GSvolume_pa",
        "GSbandgap", "GSmagmom", "SpaceGroupNumber",
    ];

    /// <summary>The statistics per property, in matminer's preset order.</summary>
    public static IReadOnlyList<string> Statistics { get; } = ["minimum", "maximum", "range", "mean", "avg_dev", "mode"];

    public static IReadOnlyList<int> NormOrders { get; } = [0, 2, 3, 5, 7, 10];

    private static readonly string[] Orbitals = ["s", "p", "d", "f"];
    private static readonly string[] ValenceTables = ["NsValence", "NpValence", "NdValence", "NfValence"];

    private readonly MagpieTable[] _properties;
    private readonly MagpieTable[] _valence;

    public MagpieFeaturizer(MagpieTables tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        _properties = PresetProperties.Select(name => tables[name]).ToArray();
        _valence = ValenceTables.Select(name => tables[name]).ToArray();
        FeatureNames =
        [
            .. PresetProperties.SelectMany(p => Statistics.Select(s => $"MagpieData {s} {p}")),
            .. NormOrders.Select(p => $"{p}-norm"),
            .. Orbitals.Select(o => $"frac {o} valence electrons"),
        ];
    }

    /// <summary>Loads the tables from a <c>magpie_elementdata</c> folder.</summary>
    public static MagpieFeaturizer Load(string magpieDirectory) => new(MagpieTables.Load(magpieDirectory));

    /// <summary>Names as matminer labels them (e.g. <c>MagpieData mean Electronegativity</c>, <c>2-norm</c>).</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    public int FeatureCount => FeatureNames.Count;

    /// <summary>The descriptor vector of <paramref name="composition"/>, NaN where an element value is missing.</summary>
    public double[] Featurize(Composition composition)
    {
        ArgumentNullException.ThrowIfNull(composition);
        var fractionList = composition.Fractions;
        var count = fractionList.Count;
        Span<double> fractions = stackalloc double[count];
        Span<double> values = stackalloc double[count];
        for (var i = 0; i < count; i++)
            fractions[i] = fractionList[i].Amount;

        var features = new double[FeatureCount];
        var k = 0;
        foreach (var table in _properties)
        {
            FillValues(table, composition, values);
            var min = WeightedStatistics.Minimum(values);
            var max = WeightedStatistics.Maximum(values);
            features[k++] = min;
            features[k++] = max;
            features[k++] = max - min;
            features[k++] = WeightedStatistics.Mean(values, fractions);
            features[k++] = WeightedStatistics.AverageDeviation(values, fractions);
            features[k++] = WeightedStatistics.Mode(values, fractions);
        }
        foreach (var p in NormOrders)
            features[k++] = WeightedStatistics.PNorm(fractions, p);

        // matminer: mean valence electrons per orbital, each divided by their sum.
        Span<double> orbitalMeans = stackalloc double[_valence.Length];
        for (var o = 0; o < _valence.Length; o++)
        {
            FillValues(_valence[o], composition, values);
            orbitalMeans[o] = WeightedStatistics.Mean(values, fractions);
        }
        var total = 0.0;
        foreach (var mean in orbitalMeans)
            total += mean;
        foreach (var mean in orbitalMeans)
            features[k++] = total > 0 ? mean / total : double.NaN;
        return features;
    }

    private static void FillValues(MagpieTable table, Composition composition, Span<double> values)
    {
        var fractions = composition.Fractions;
        for (var i = 0; i < values.Length; i++)
            values[i] = table.ValueOf(fractions[i].Element) ?? double.NaN;
    }
}

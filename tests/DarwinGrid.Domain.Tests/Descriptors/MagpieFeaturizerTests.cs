using DarwinGrid.Domain.Compositions;
using DarwinGrid.Domain.Datasets;
using DarwinGrid.Domain.Descriptors;
using DarwinGrid.Domain.Tasks;
using DarwinGrid.TestSupport;

namespace DarwinGrid.Domain.Tests.Descriptors;

public class MagpieFeaturizerTests
{
    private static readonly Lazy<MagpieFeaturizer> Shared = new(() => MagpieFeaturizer.Load(SharedData.PathOf("magpie_elementdata")));
    private static MagpieFeaturizer Featurizer => Shared.Value;

    private static double Feature(string formula, string name)
    {
        var index = Featurizer.FeatureNames.ToList().IndexOf(name);
        Assert.True(index >= 0, $"no feature '{name}'");
        return Featurizer.Featurize(Composition.Parse(formula))[index];
    }

    [Fact]
    public void HasThe132MagpiePresetFeatures6NormsAnd4ValenceFractionsWithMatminerLabels()
    {
        Assert.Equal(142, Featurizer.FeatureCount);
        Assert.Equal(Featurizer.FeatureCount, Featurizer.FeatureNames.Distinct().Count());
        Assert.Equal("MagpieData minimum Number", Featurizer.FeatureNames[0]);
        Assert.Equal("MagpieData mode SpaceGroupNumber", Featurizer.FeatureNames[131]);
        Assert.Equal(["0-norm", "2-norm", "3-norm", "5-norm", "7-norm", "10-norm"], Featurizer.FeatureNames.Skip(132).Take(6));
        Assert.Equal("frac f valence electrons", Featurizer.FeatureNames[^1]);
    }

    [Fact]
    public void Fe2O3AtomicNumberStatisticsMatchMatminersOwnTest()
    {
        // matminer's test_elem on Fe2O3: min 8, max 26, range 18, mean 15.2, avg_dev 8.64, mode 8.
        Assert.Equal(8, Feature("Fe2O3", "MagpieData minimum Number"));
        Assert.Equal(26, Feature("Fe2O3", "MagpieData maximum Number"));
        Assert.Equal(18, Feature("Fe2O3", "MagpieData range Number"));
        Assert.Equal(15.2, Feature("Fe2O3", "MagpieData mean Number"), 10);
        Assert.Equal(8.64, Feature("Fe2O3", "MagpieData avg_dev Number"), 10);
        Assert.Equal(8, Feature("Fe2O3", "MagpieData mode Number"));
    }

    [Fact]
    public void Fe2O3ElectronegativityByHand()
    {
        // Pauling: Fe 1.83, O 3.44; fractions 0.4 and 0.6.
        // mean = 0.4*1.83 + 0.6*3.44 = 2.796; avg_dev = 0.4*0.966 + 0.6*0.644 = 0.7728;
        // range = 1.61; mode = O's value (largest fraction).
        Assert.Equal(2.796, Feature("Fe2O3", "MagpieData mean Electronegativity"), 10);
        Assert.Equal(0.7728, Feature("Fe2O3", "MagpieData avg_dev Electronegativity"), 10);
        Assert.Equal(1.61, Feature("Fe2O3", "MagpieData range Electronegativity"), 10);
        Assert.Equal(3.44, Feature("Fe2O3", "MagpieData mode Electronegativity"));
    }

    [Fact]
    public void NaClElectronegativityByHandWithTheModeTieGoingToTheSmallerValue()
    {
        // Na 0.93, Cl 3.16, half each: mean 2.045, range 2.23, avg_dev 1.115; tied fractions -> min(0.93, 3.16).
        Assert.Equal(2.045, Feature("NaCl", "MagpieData mean Electronegativity"), 10);
        Assert.Equal(2.23, Feature("NaCl", "MagpieData range Electronegativity"), 10);
        Assert.Equal(1.115, Feature("NaCl", "MagpieData avg_dev Electronegativity"), 10);
        Assert.Equal(0.93, Feature("NaCl", "MagpieData mode Electronegativity"));
    }

    [Theory]
    // p = 0 counts elements; otherwise (sum x^p)^(1/p) of the atom fractions.
    [InlineData("Fe2O3", "0-norm", 2)]
    [InlineData("Fe2O3", "2-norm", 0.72111025509279782)]  // sqrt(0.16 + 0.36)
    [InlineData("Fe2O3", "3-norm", 0.6542132620377179)]     // (0.064 + 0.216)^(1/3)
    [InlineData("NaCl", "2-norm", 0.70710678118654757)]   // sqrt(2 * 0.25)
    [InlineData("NaCl", "10-norm", 0.5358867312681466)]  // (2 * 0.5^10)^(1/10) = 0.5 * 2^0.1
    [InlineData("Fe", "7-norm", 1)]
    public void StoichiometricPNormsByHand(string formula, string name, double expected) =>
        Assert.Equal(expected, Feature(formula, name), 12);

    [Fact]
    public void ValenceOrbitalFractionsByHand()
    {
        // Fe: s2 d6; O: s2 p4. Mean s = 2, p = 0.6*4 = 2.4, d = 0.4*6 = 2.4, f = 0; total 6.8.
        Assert.Equal(2 / 6.8, Feature("Fe2O3", "frac s valence electrons"), 12);
        Assert.Equal(2.4 / 6.8, Feature("Fe2O3", "frac p valence electrons"), 12);
        Assert.Equal(2.4 / 6.8, Feature("Fe2O3", "frac d valence electrons"), 12);
        Assert.Equal(0, Feature("Fe2O3", "frac f valence electrons"));
    }

    [Fact]
    public void AMissingElementValueMakesThatPropertyNaNAndLeavesTheOthers()
    {
        // The table has no electronegativity for He.
        foreach (var statistic in MagpieFeaturizer.Statistics)
            Assert.True(double.IsNaN(Feature("HeNa", $"MagpieData {statistic} Electronegativity")), statistic);
        Assert.Equal(6.5, Feature("HeNa", "MagpieData mean Number"), 12); // (2 + 11) / 2
        Assert.False(double.IsNaN(Feature("HeNa", "MagpieData mean CovalentRadius")));
    }

    [Fact]
    public void EveryMatbenchCompositionFeaturizesAndOnlyKnownGapsAreNaN()
    {
        // Across the real expt_gap inputs, NaNs may only come from properties with Missing entries.
        var gap = TaskDatasetLoader.Load(TaskCatalog.Get("matbench_expt_gap"), SharedData.Root);
        var nanColumns = new HashSet<string>();
        foreach (var record in gap.Records)
        {
            var features = Featurizer.Featurize(Composition.Parse(record.Input));
            for (var i = 0; i < features.Length; i++)
            {
                if (double.IsNaN(features[i]))
                    nanColumns.Add(Featurizer.FeatureNames[i].Split(' ')[^1]);
                else
                    Assert.True(double.IsFinite(features[i]), $"{record.Input}: {Featurizer.FeatureNames[i]} = {features[i]}");
            }
        }
        Assert.Subset(new HashSet<string> { "Electronegativity", "MeltingT", "CovalentRadius", "SpaceGroupNumber" }, nanColumns);
    }
}

using System.Collections.Immutable;
using DarwinGrid.Grains.Campaigns;
using DarwinGrid.Grains.Models;
using DarwinGrid.Web.Formatting;

namespace DarwinGrid.Web.UiTests.ViewModels;

public sealed class FormattingTests
{
    [Fact]
    public void PropertiesAreNamedByTheirAliasWithTheCatalogUnit()
    {
        Assert.Equal("Band gap (eV)", PropertyNames.WithUnit("matbench_expt_gap"));
        Assert.Equal("Yield strength (MPa)", PropertyNames.WithUnit("yield_strength"));
        Assert.Equal("Is metal", PropertyNames.WithUnit("matbench_is_metal"));
        Assert.Equal("Magnetic moment", PropertyNames.Display("magnetic_moment"));
        Assert.Equal("Is metal (probability)", PropertyNames.AxisTitle("is_metal"));
    }

    [Fact]
    public void AValueWithAnIntervalShowsPlusMinusWhenSymmetricAndBothSidesWhenNot()
    {
        Assert.Equal("1.5 ± 0.3 eV", Numbers.Prediction(new Prediction("matbench_expt_gap", "v", 1.5, null, null, " 1.5", Low: 1.2, High: 1.8)));
        Assert.Equal("0.2 +1.1/−0.2 eV", Numbers.Prediction(new Prediction("matbench_expt_gap", "v", 0.2, null, null, " 0.2", Low: 0, High: 1.3)));
        Assert.Equal("[0, 1.3] eV", Numbers.Interval(new Prediction("matbench_expt_gap", "v", 0.2, null, null, " 0.2", Low: 0, High: 1.3)));
        Assert.Equal("", Numbers.Interval(new Prediction("matbench_expt_gap", "v", 0.2, null, null, " 0.2")));
    }

    [Fact]
    public void PredictionsShowValueAndUnitOrClassAndProbability()
    {
        Assert.Equal("1.51 eV", Numbers.Prediction(new Prediction("matbench_expt_gap", "v", 1.5123, null, null, " 1.51")));
        Assert.Equal("1,234 MPa", Numbers.Prediction(new Prediction("matbench_steels", "v", 1234.4, null, null, " 1234")));
        Assert.Equal("true (0.87)", Numbers.Prediction(new Prediction("matbench_is_metal", "v", null, "true", 0.87, " Yes",
            LabelProbabilities: ImmutableDictionary<string, double>.Empty.Add("true", 0.87).Add("false", 0.13))));
        Assert.Equal("failed", Numbers.Prediction(new Prediction("matbench_expt_gap", "v", null, null, null, " ??", "no number")));
    }

    [Fact]
    public void CountsRatesAndDurationsReadNaturally()
    {
        Assert.Equal("12,345", Numbers.Count(12345));
        Assert.Equal("1,141 /s", Numbers.Rate(1141.2));
        Assert.Equal("12.5 /s", Numbers.Rate(12.46));
        Assert.Equal("3 min 05 s", Numbers.Duration(TimeSpan.FromSeconds(185)));
        Assert.Equal("2 h 07 min", Numbers.Duration(TimeSpan.FromMinutes(127)));
    }

    [Fact]
    public void FiltersAndObjectivesAreWrittenInWords()
    {
        Assert.Equal("Band gap between 1.1 and 1.8 eV", DefinitionText.Filter(new PropertyFilter("matbench_expt_gap", FilterOperator.Between, 1.1, 1.8)));
        Assert.Equal("Is metal is not true", DefinitionText.Filter(new PropertyFilter("matbench_is_metal", FilterOperator.IsNot, Label: "true")));
        Assert.Equal("Band gap closest to 1.4 eV (weight 2)", DefinitionText.Objective(new Objective("matbench_expt_gap", ObjectiveGoal.Target, 1.4, 2), showWeight: true));
    }
}

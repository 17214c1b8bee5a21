using DarwinGrid.Domain.Screening;
using DarwinGrid.Domain.Tasks;

namespace DarwinGrid.Domain.Tests.Screening;

public class ScreeningParserTests
{
    [Fact]
    public void ReadsNumericFilters()
    {
        Assert.Equal(new ScreeningFilter("matbench_expt_gap", ScreeningFilterOperator.Between, 1.1, 1.8),
            ScreeningParser.ParseFilter("band_gap between 1.1 and 1.8"));
        Assert.Equal(new ScreeningFilter("matbench_expt_gap", ScreeningFilterOperator.Between, 1.1, 1.8),
            ScreeningParser.ParseFilter("  Band-Gap BETWEEN 1.1 eV and 1.8 eV "));
        Assert.Equal(new ScreeningFilter("matbench_steels", ScreeningFilterOperator.AtLeast, Low: 1000),
            ScreeningParser.ParseFilter("yield_strength >= 1000"));
        Assert.Equal(new ScreeningFilter("matbench_steels", ScreeningFilterOperator.AtLeast, Low: 1000),
            ScreeningParser.ParseFilter("matbench_steels>1e3 MPa"));
        Assert.Equal(new ScreeningFilter("matbench_expt_gap", ScreeningFilterOperator.AtMost, High: 3),
            ScreeningParser.ParseFilter("band_gap at most 3"));
        Assert.Equal(new ScreeningFilter("esol_log_solubility", ScreeningFilterOperator.AtLeast, Low: -2.5),
            ScreeningParser.ParseFilter("solubility at least -2.5"));
    }

    [Theory]
    [InlineData("is_metal = false", "matbench_is_metal", ScreeningFilterOperator.Is, "false")]
    [InlineData("is_metal is no", "matbench_is_metal", ScreeningFilterOperator.Is, "false")]
    [InlineData("is_metal != Yes", "matbench_is_metal", ScreeningFilterOperator.IsNot, "true")]
    [InlineData("is_metal is  not 1", "matbench_is_metal", ScreeningFilterOperator.IsNot, "true")]
    [InlineData("glass = yes", "matbench_glass", ScreeningFilterOperator.Is, "true")]
    [InlineData("pei_phase is bcc", "pei_phase", ScreeningFilterOperator.Is, "bcc")]
    [InlineData("phase is Multi-Phase", "pei_phase", ScreeningFilterOperator.Is, "multi-phase")]
    [InlineData("dimensionality = 2d", "dukedb_dimensionality", ScreeningFilterOperator.Is, "2D")]
    [InlineData("water_stability is false", "water_stability", ScreeningFilterOperator.Is, "low")]
    public void ReadsLabelFilters(string text, string task, ScreeningFilterOperator op, string label) =>
        Assert.Equal(new ScreeningFilter(task, op, Label: label), ScreeningParser.ParseFilter(text));

    [Theory]
    [InlineData("maximize band_gap", "matbench_expt_gap", ScreeningGoal.Maximize, null, 1.0, null)]
    [InlineData("minimise yield_strength", "matbench_steels", ScreeningGoal.Minimize, null, 1.0, null)]
    [InlineData("band_gap target 1.4", "matbench_expt_gap", ScreeningGoal.Target, 1.4, 1.0, null)]
    [InlineData("band_gap target 1.4 eV *2", "matbench_expt_gap", ScreeningGoal.Target, 1.4, 2.0, null)]
    [InlineData("maximize is_metal:No", "matbench_is_metal", ScreeningGoal.Maximize, null, 1.0, "false")]
    [InlineData("max is_metal*0.5", "matbench_is_metal", ScreeningGoal.Maximize, null, 0.5, "true")]
    [InlineData("MAXIMIZE pei_phase:bcc * 3", "pei_phase", ScreeningGoal.Maximize, null, 3.0, "bcc")]
    public void ReadsObjectives(string text, string task, ScreeningGoal goal, double? target, double weight, string? label) =>
        Assert.Equal(new ScreeningObjective(task, goal, target, weight, label), ScreeningParser.ParseObjective(text));

    [Fact]
    public void ReadsListsAndWritesTextThatReadsBack()
    {
        var filters = ScreeningParser.ParseFilters("band_gap between 1.1 and 1.8; is_metal = false\npei_phase is not fcc;");
        Assert.Equal(3, filters.Count);
        Assert.Equal(filters, filters.Select(f => ScreeningParser.ParseFilter(f.ToString())));
        Assert.Equal("matbench_expt_gap between 1.1 and 1.8", filters[0].ToString());

        var objectives = ScreeningParser.ParseObjectives("maximize band_gap *2; band_gap target 1.4; maximize is_metal:no");
        Assert.Equal(objectives, objectives.Select(o => ScreeningParser.ParseObjective(o.ToString())));
        Assert.Equal("maximize matbench_expt_gap *2", objectives[0].ToString());
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("band_gaps >= 1", "unknown property 'band_gaps'")]
    [InlineData("band_gaps >= 1", "band_gap")]
    [InlineData("band_gap between 1.8 and 1.1", "lower bound 1.8 is above the upper bound 1.1")]
    [InlineData("band_gap >= wide", "'wide' is not a number")]
    [InlineData("band_gap >= 1 MPa", "unexpected 'MPa' after 1; 'matbench_expt_gap' is in eV")]
    [InlineData("band_gap = 1.4", "never exactly '= 1.4'")]
    [InlineData("band_gap is metal", "never exactly 'is metal'")]
    [InlineData("is_metal >= 0.5", "classification task (classes: false (No), true (Yes))")]
    [InlineData("is_metal between 0 and 1", "numeric bounds need a regression task")]
    [InlineData("is_metal = maybe", "'maybe' is not a class of 'matbench_is_metal'")]
    [InlineData("pei_phase is no", "'no' is not a class of 'pei_phase'; classes: fcc, bcc, hcp, multi-phase")]
    [InlineData("band gap wide", "is not understood")]
    public void FilterErrorsNameTheProblem(string text, string expected)
    {
        var error = Assert.Throws<ScreeningParseException>(() => ScreeningParser.ParseFilter(text));
        Assert.Contains(expected, error.Message);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("maximize gap_band", "unknown property 'gap_band'")]
    [InlineData("maximize pei_phase", "name the one whose probability to rank")]
    [InlineData("maximize band_gap:high", "names a class, but 'matbench_expt_gap' predicts a number")]
    [InlineData("maximize is_metal:maybe", "'maybe' is not a class of 'matbench_is_metal'")]
    [InlineData("is_metal target 1", "classification task; a target needs a number")]
    [InlineData("band_gap target high", "'high' is not a number")]
    [InlineData("maximize band_gap *0", "weight '0' must be a positive number")]
    [InlineData("maximize band_gap *-1", "weight '-1' must be a positive number")]
    [InlineData("enlarge band_gap", "is not understood")]
    public void ObjectiveErrorsNameTheProblem(string text, string expected)
    {
        var error = Assert.Throws<ScreeningParseException>(() => ScreeningParser.ParseObjective(text));
        Assert.Contains(expected, error.Message);
    }
}

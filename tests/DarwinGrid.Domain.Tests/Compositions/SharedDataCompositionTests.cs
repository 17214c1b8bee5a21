using System.Globalization;
using CsvHelper;
using DarwinGrid.Domain.Compositions;
using DarwinGrid.TestSupport;

namespace DarwinGrid.Domain.Tests.Compositions;

/// <summary>The parser against the compositions of the shared DARWIN datasets.</summary>
public class SharedDataCompositionTests
{
    private static List<string> Column(string relativePath, string column)
    {
        using var reader = new StreamReader(SharedData.PathOf(relativePath.Split('/')));
        using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
        csv.Read();
        csv.ReadHeader();
        var values = new List<string>();
        while (csv.Read())
            values.Add(csv.GetField(column)!);
        return values;
    }

    [Theory]
    [InlineData("darwin/matbench_expt_gap/matbench_expt_gap.csv", "composition")]
    [InlineData("darwin/matbench_is_metal/matbench_is_metal.csv", "composition")]
    [InlineData("darwin/matbench_glass/matbench_glass.csv", "composition")]
    [InlineData("darwin/matbench_steels/matbench_steels.csv", "composition")]
    [InlineData("darwin/Pei/Pei.csv", "Alloy")]
    [InlineData("darwin/Experimental_thermoelectric_properties_2013/MRL.csv", "formula")]
    [InlineData("darwin/Magnetic_Materials_Database/MMD.csv", "Formula")]
    public void EveryCompositionParsesAndItsCanonicalFormulaIsAFixedPoint(string file, string column)
    {
        var values = Column(file, column);
        Assert.NotEmpty(values);
        var failures = new List<string>();
        foreach (var value in values)
        {
            if (!CompositionParser.TryParse(value, out var composition, out var error))
            {
                failures.Add($"{value}: {error.Message}");
                continue;
            }
            Assert.Equal(composition.CanonicalFormula, CompositionParser.Parse(composition.CanonicalFormula).CanonicalFormula);
        }
        Assert.Empty(failures);
    }

    [Fact]
    public void MatbenchSteelsKeepAllTheirAlloyingElements()
    {
        foreach (var value in Column("darwin/matbench_steels/matbench_steels.csv", "composition"))
        {
            var composition = CompositionParser.Parse(value);
            var written = System.Text.RegularExpressions.Regex.Matches(value, "[A-Z][a-z]?").Select(m => m.Value);
            Assert.Equal(written.Order(), composition.Elements.Select(e => e.Symbol).Order());
        }
    }

    [Fact]
    public void MoosaviCpSpaceSeparatedCompositionsParse()
    {
        var written = Column("darwin/MoosaviCp/MoosaviCp.csv", "composition").Where(v => v.Length > 0).ToList();
        Assert.NotEmpty(written);
        Assert.All(written, value => Assert.True(CompositionParser.TryParse(value, out _, out var error), $"{value}: {error}"));
    }

    [Fact]
    public void DukeDbRowsThatAreNotFormulasAreRejectedWithAPositionInsideTheText()
    {
        var values = Column("darwin/Crystalline_organic-inorganic_compounds/DukeDB.csv", "formula");
        var rejected = 0;
        foreach (var value in values)
        {
            if (CompositionParser.TryParse(value, out _, out var error))
                continue;
            rejected++;
            Assert.InRange(error.Position, 1, value.Length);
            Assert.Contains($"position {error.Position}", error.Message);
        }
        // Abbreviations (MA, FA, PEA, BA), "x" templates, lists "A, B", dopant notes ":1.9%": see the report.
        Assert.InRange(rejected, 1, values.Count / 4);
    }
}

using DarwinGrid.Domain.Compositions;
using DarwinGrid.Domain.Elements;

namespace DarwinGrid.Domain.Tests.Compositions;

public class CompositionParserTests
{
    private static string Canonical(string formula) => CompositionParser.Parse(formula).CanonicalFormula;

    private static Dictionary<string, double> AmountsOf(string formula) =>
        CompositionParser.Parse(formula).Amounts.ToDictionary(a => a.Element.Symbol, a => a.Amount);

    [Theory]
    [InlineData("Fe2O3")]
    [InlineData("O3Fe2")]
    [InlineData("(FeO1.5)2")]
    [InlineData("Fe0.4O0.6")]
    [InlineData("Fe4O6")]
    [InlineData("Fe2 O3")]
    [InlineData("[Fe(O)1.5]2")]
    [InlineData("FeO1.5")]
    [InlineData("Fe1O1O0.5")]
    public void SpellingsOfTheSameCompositionShareOneCanonicalFormula(string formula) =>
        Assert.Equal("Fe2O3", Canonical(formula));

    [Theory]
    [InlineData("Ag(AuS)2", "Ag:1 Au:2 S:2")]
    [InlineData("Zr5(CrFe14)3", "Cr:3 Fe:42 Zr:5")]
    [InlineData("Ca[(OH)2]3", "H:6 Ca:1 O:6")]
    [InlineData("{C(NH2)3}2SnI4", "C:2 H:12 I:4 N:6 Sn:1")]
    [InlineData("CuSO4·5H2O", "H:10 Cu:1 O:9 S:1")]
    [InlineData("CuSO4 · 5H2O", "H:10 Cu:1 O:9 S:1")]
    [InlineData("CuSO4*5H2O", "H:10 Cu:1 O:9 S:1")]
    [InlineData("CaCl2.H2O", "H:2 Ca:1 Cl:2 O:1")]
    [InlineData("Br8Pb2•4(C10H12NS2)", "C:40 H:48 Br:8 N:4 Pb:2 S:8")]
    [InlineData("[(CH3)3NH]2(Cu·2H2O)3", "C:6 H:32 Cu:3 N:2 O:6")]
    [InlineData("Co2 H4 C8 O8", "C:8 H:4 Co:2 O:8")]
    [InlineData("Ta_Th", "Ta:1 Th:1")]
    [InlineData("  Fe2O3  ", "Fe:2 O:3")]
    [InlineData("Fe1e-3Ni", "Fe:0.001 Ni:1")]
    [InlineData("Fe2.5E+1Ni", "Fe:25 Ni:1")]
    [InlineData("Fe2Eu", "Eu:1 Fe:2")]
    [InlineData("FeNaN", "Fe:1 N:1 Na:1")]
    [InlineData("CuSO4.5H2O", "H:2 Cu:1 O:5.5 S:1")] // digit.digit is always a decimal: write CuSO4·5H2O for the hydrate
    [InlineData("CaCl2.2H2O", "H:2 Ca:1 Cl:2.2 O:1")]
    public void ParsesBracketsHydratesWhitespaceAndNumberForms(string formula, string expected)
    {
        var expectedAmounts = expected.Split(' ').Select(p => p.Split(':'))
            .ToDictionary(p => p[0], p => double.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture));
        var actual = AmountsOf(formula);
        Assert.Equal(expectedAmounts.Keys.Order(), actual.Keys.Order());
        foreach (var (symbol, amount) in expectedAmounts)
            Assert.Equal(amount, actual[symbol], 12);
    }

    [Theory]
    [InlineData("CH4", "CH4")]
    [InlineData("H4C", "CH4")]
    [InlineData("OH2", "H2O")]
    [InlineData("NaCl", "ClNa")]
    [InlineData("C6H12O6", "CH2O")]
    [InlineData("CCl4", "CCl4")]
    [InlineData("BaBBe", "BBaBe")]
    [InlineData("C60", "C")]
    [InlineData("Al", "Al")]
    [InlineData("Ag0.05Zr0.95", "AgZr19")]
    [InlineData("Ag0.5Ge1Pb1.75S4", "Ag2Ge4Pb7S16")]
    [InlineData("Fe0.6666667Ni0.3333333", "Fe2Ni")]
    [InlineData("Au5.14Ba8Si39.51", "Au0.130094Ba0.20248Si")]
    [InlineData("Fe0.620C0.000953", "C0.0015371Fe")]
    public void CanonicalFormulaUsesHillOrderAndTheDocumentedNumberRules(string formula, string canonical)
    {
        Assert.Equal(canonical, Canonical(formula));
        Assert.Equal(canonical, Canonical(canonical));
    }

    [Fact]
    public void DifferentRatiosGiveDifferentKeys()
    {
        Assert.NotEqual(Canonical("Fe2O3"), Canonical("Fe3O4"));
        Assert.NotEqual(Canonical("Fe0.620C0.000953"), Canonical("Fe0.620C0.000954"));
        Assert.NotEqual(CompositionParser.Parse("Fe2O3"), CompositionParser.Parse("FeO"));
    }

    [Fact]
    public void CompositionExposesKeyFractionsAndEquality()
    {
        var composition = CompositionParser.Parse("O3Fe2");
        Assert.Equal("Fe2O3", composition.CacheKey);
        Assert.Equal(["Fe", "O"], composition.Elements.Select(e => e.Symbol));
        Assert.Equal(0.4, composition.FractionOf(PeriodicTable.BySymbol("Fe")), 12);
        Assert.Equal(0.6, composition.FractionOf(PeriodicTable.BySymbol("O")), 12);
        Assert.Equal(0, composition.FractionOf(PeriodicTable.BySymbol("N")));
        Assert.True(composition.Contains(PeriodicTable.BySymbol("O")));
        Assert.Equal(CompositionParser.Parse("(FeO1.5)2"), composition);
        Assert.Equal(CompositionParser.Parse("Fe0.4O0.6").GetHashCode(), composition.GetHashCode());
    }

    [Fact]
    public void FromAmountsMatchesParsing()
    {
        var fe = PeriodicTable.BySymbol("Fe");
        var o = PeriodicTable.BySymbol("O");
        var built = Composition.FromAmounts([new(o, 0.75), new(fe, 1), new(o, 0.75)]);
        Assert.Equal("Fe2O3", built.CanonicalFormula);
        Assert.Throws<ArgumentException>(() => Composition.FromAmounts([new(fe, -1)]));
        Assert.Throws<ArgumentException>(() => Composition.FromAmounts([]));
    }
}

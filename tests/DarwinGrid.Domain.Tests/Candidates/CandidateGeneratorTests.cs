using DarwinGrid.Domain.Candidates;
using DarwinGrid.Domain.Compositions;
using static DarwinGrid.Domain.Tests.Candidates.OxidationData;

namespace DarwinGrid.Domain.Tests.Candidates;

public class CandidateGeneratorTests
{
    private static string C(string formula) => Composition.Parse(formula).CanonicalFormula;

    [Fact]
    public void EnumeratesEveryChoiceInOdometerOrder()
    {
        Assert.Equal(
            ["GeLi2S4", "GeLi2Se4", "Li2S4Sn", "Li2Se4Sn", "GeNa2S4", "GeNa2Se4", "Na2S4Sn", "Na2Se4Sn"],
            Formulas("{A}2{B}{X}4; A=Li,Na; B=Ge,Sn; X=S,Se"));
    }

    [Fact]
    public void A2BX4WithAlkaliAndTetravalentBIsNeverNeutral()
    {
        // 2·(+1) + (+2 or +4) + 4·X: X = −2 gives −4 or −2, X = +4/+6 only adds positive charge.
        var generator = Generator("{A}2{B}{X}4; A=Li,Na; B=Ge,Sn; X=S,Se; neutral");
        Assert.Equal(8, generator.CountUpperBound());
        Assert.Equal(0, generator.Count());
        Assert.Empty(generator.Generate());
    }

    [Fact]
    public void ThioGermanatesWithMatchingStoichiometryAreNeutral()
    {
        // Li2GeS3: 2 + 4 − 6 = 0; Li4GeS4: 4 + 4 − 8 = 0; every one of the 8 choices balances.
        Assert.Equal(8, Generator("{A}2{B}{X}3; A=Li,Na; B=Ge,Sn; X=S,Se; neutral").Count());
        Assert.Equal(8, Generator("{A}4{B}{X}4; A=Li,Na; B=Ge,Sn; X=S,Se; neutral").Count());
    }

    [Fact]
    public void NeutralityKeepsOnlyTheBalancedChoices()
    {
        // Li2GeS4: 2 + (2 or 4) − 8 < 0; Li2GeCl4: 2 + 2 − 4 = 0 with Ge(II); Ba2GeS4: 4 + 4 − 8 = 0;
        // Ba2GeCl4: 4 + (2 or 4) − 4 > 0 (Cl's positive states only add charge).
        Assert.Equal([C("Li2GeCl4"), C("Ba2GeS4")], Formulas("{A}2Ge{X}4; A=Li,Ba; X=S,Cl; neutral"));
    }

    [Fact]
    public void DuplicatesAreProducedOnceByCanonicalFormula()
    {
        var generator = Generator("{A}{B}; A=Li,Na; B=Li,Na");
        Assert.True(generator.NeedsDeduplicationSet);
        Assert.Equal(4, generator.CountUpperBound());
        Assert.Equal(["Li", "LiNa", "Na"], generator.Generate().Select(c => c.CanonicalFormula));
        Assert.Equal(3, generator.Count());
    }

    [Fact]
    public void DistinctForbidsAnElementOnTwoSitesOrOnASiteAndInTheTemplate()
    {
        Assert.Equal(["LiNa"], Formulas("{A}{B}; A=Li,Na; B=Li,Na; distinct"));
        Assert.Equal([C("BaTiO3"), C("SrTiO3")], Formulas("{A}TiO3; A=Ba,Ti,Sr; distinct"));
        // Without 'distinct' Ti on the A site merges with the template's Ti: Ti2O3.
        Assert.Equal([C("BaTiO3"), C("Ti2O3"), C("SrTiO3")], Formulas("{A}TiO3; A=Ba,Ti,Sr"));
    }

    [Fact]
    public void DopingSeriesRunsExactlyOverTheRange()
    {
        var candidates = Generator("Ba{1-x}Sr{x}TiO3; x=0..0.5:0.1; neutral").Generate().ToList();
        Assert.Equal(["0", "0.1", "0.2", "0.3", "0.4", "0.5"], candidates.Select(c => c.VariableValues[0].ToString()));
        Assert.Equal(
            ["BaO3Ti", "Ba9O30SrTi10", "Ba4O15SrTi5", "Ba7O30Sr3Ti10", "Ba3O15Sr2Ti5", "BaO6SrTi2"],
            candidates.Select(c => c.CanonicalFormula));
        // The same compositions as the hand-written formulas.
        Assert.Equal(Composition.Parse("Ba0.7Sr0.3TiO3"), candidates[3].Composition);
    }

    [Fact]
    public void ArithmeticAmountsAndBracketsMultiply()
    {
        Assert.Equal(
            [C("Li2(Fe0.5Mn0.5PO4)2"), C("LiFePO4")],
            Formulas("Li2(Fe{2*x}Mn{1-2*x}PO4)2; x=0.25..0.5:0.25"));
    }

    [Fact]
    public void MixedValenceDopingIsOnlyNeutralAtTheEnds()
    {
        // La(3+) → Sr(2+) needs Mn at 3 + x; with one Mn state only x = 0 and x = 1 balance.
        Assert.Equal(["LaMnO3", "MnO3Sr"], Formulas("La{1-x}Sr{x}MnO3; x=0..1:0.25; neutral"));
        Assert.Equal(5, Generator("La{1-x}Sr{x}MnO3; x=0..1:0.25").Count());
    }

    [Fact]
    public void RecordsTheChoiceBehindEachCandidate()
    {
        var candidates = Generator("{A}2{B}{X}3; A=Li,Na; B=Ge,Sn; X=S,Se").Generate().ToList();
        var na2sns3 = candidates.Single(c => c.CanonicalFormula == "Na2S3Sn");
        Assert.Equal(["Na", "Sn", "S"], na2sns3.SiteElements.Select(e => e.Symbol));
        Assert.Equal(6, na2sns3.RawIndex); // (1, 1, 0) in radices (2, 2, 2)
        Assert.Equal(Enumerable.Range(0, 8).Select(i => (long)i), candidates.Select(c => c.RawIndex));
    }

    [Fact]
    public void LimitStopsGenerationAndCapsTheCounts()
    {
        var generator = Generator("{A}{X}; A=alkali; X=halogens; limit=7");
        Assert.Equal(7, generator.Generate().Count());
        Assert.Equal(7, generator.Count());
        Assert.Equal(7, generator.CountUpperBound());
        Assert.Equal(30, generator.RawSpaceSize());
    }

    [Fact]
    public void UpperBoundIsTheRawSpaceAndCountIsExact()
    {
        var generator = Generator("{A}{B}{X}3; A=alkali,alkaline-earth; B=3d,4d; X=chalcogens,halogens; neutral");
        Assert.Equal(12 * 20 * 10, generator.CountUpperBound());
        Assert.False(generator.NeedsDeduplicationSet);
        var generated = generator.Generate().ToList();
        Assert.Equal(generated.Count, generator.Count());
        Assert.InRange(generated.Count, 1, 2399);
        Assert.All(generated, c => Assert.True(Neutrality.IsNeutral(c.Composition), c.CanonicalFormula));
        Assert.Equal(generated.Count, generated.Select(c => c.CanonicalFormula).Distinct().Count());
        Assert.Contains("BaO3Ti", generated.Select(c => c.CanonicalFormula)); // BaTiO3
        Assert.Contains("KNbO3", generated.Select(c => c.CanonicalFormula));
    }

    [Fact]
    public void NegativeAmountsAreReportedWhenTheGeneratorIsBuilt()
    {
        var error = Assert.Throws<CandidateSpecException>(() => Generator("Ba{1-x}Sr{x}TiO3; x=0..2:0.5"));
        Assert.Contains("negative", error.Message);
        Assert.Contains("x=1.5", error.Message);
        Assert.Contains("Ba", error.Message);
    }

    [Fact]
    public void DivisionByZeroNamesTheVariable()
    {
        var error = Assert.Throws<CandidateSpecException>(() => Generator("Fe{1/x}O; x=0..1:0.5"));
        Assert.Contains("x=0", error.Message);
    }

    [Fact]
    public void NeutralityNeedsOxidationStates()
    {
        var spec = CandidateSpecParser.Parse("{A}O; A=Mg,Ca; neutral");
        Assert.Throws<ArgumentException>(() => new CandidateGenerator(spec));
        Assert.Equal(2, new CandidateGenerator(spec with { RequireChargeNeutral = false }).Count());
    }

    [Fact]
    public void SpecsBuiltInCodeAreValidatedToo()
    {
        var spec = new CandidateGenerationSpec("{A}O", [new SiteElements("A", [])], []);
        var error = Assert.Throws<CandidateSpecException>(() => new CandidateGenerator(spec));
        Assert.Contains("Site 'A' has no elements", error.Message);
    }
}

using DarwinGrid.Domain.Elements;

namespace DarwinGrid.Domain.Tests.Candidates;

public class ElementGroupsTests
{
    private static string Symbols(string group) => string.Join(",", ElementGroups.Get(group).Select(e => e.Symbol));

    [Theory]
    [InlineData("alkali", "Li,Na,K,Rb,Cs,Fr")]
    [InlineData("alkaline-earth", "Be,Mg,Ca,Sr,Ba,Ra")]
    [InlineData("chalcogens", "O,S,Se,Te,Po")]
    [InlineData("halogens", "F,Cl,Br,I,At")]
    [InlineData("pnictogens", "N,P,As,Sb,Bi")]
    [InlineData("noble-gases", "He,Ne,Ar,Kr,Xe,Rn")]
    [InlineData("3d", "Sc,Ti,V,Cr,Mn,Fe,Co,Ni,Cu,Zn")]
    [InlineData("4d", "Y,Zr,Nb,Mo,Tc,Ru,Rh,Pd,Ag,Cd")]
    [InlineData("5d", "Lu,Hf,Ta,W,Re,Os,Ir,Pt,Au,Hg")]
    [InlineData("group-3", "Sc,Y,Lu,Lr")]
    [InlineData("group-14", "C,Si,Ge,Sn,Pb")]
    [InlineData("ALKALI-METALS", "Li,Na,K,Rb,Cs,Fr")]
    public void GroupsFollowThePeriodicTable(string group, string expected) => Assert.Equal(expected, Symbols(group));

    [Fact]
    public void LanthanidesAndActinidesAreTheFifteenElementRuns()
    {
        Assert.Equal(Enumerable.Range(57, 15), ElementGroups.Get("lanthanides").Select(e => e.AtomicNumber));
        Assert.Equal(Enumerable.Range(89, 15), ElementGroups.Get("actinides").Select(e => e.AtomicNumber));
        Assert.Equal(30, ElementGroups.Get("transition-metals").Count);
    }

    [Fact]
    public void EveryElementUpToLawrenciumOutsideTheFBlockHasOneGroup()
    {
        var columns = Enumerable.Range(1, 18).SelectMany(g => ElementGroups.Get($"group-{g}")).ToList();
        Assert.Equal(columns.Count, columns.Distinct().Count());
        // 103 elements minus La–Yb and Ac–No (14 each) have a column.
        Assert.Equal(103 - 28, columns.Count);
        Assert.Null(ElementGroups.GroupNumber(PeriodicTable.BySymbol("Ce")));
        Assert.Equal(18, ElementGroups.GroupNumber(PeriodicTable.BySymbol("Og")));
    }

    [Fact]
    public void UnknownGroupListsTheKnownOnes()
    {
        var error = Assert.Throws<KeyNotFoundException>(() => ElementGroups.Get("alkalis"));
        Assert.Contains("'alkalis'", error.Message);
        Assert.Contains("chalcogens", error.Message);
    }
}

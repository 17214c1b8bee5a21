using DarwinGrid.Domain.Candidates;
using DarwinGrid.Domain.Compositions;
using DarwinGrid.Domain.Elements;

namespace DarwinGrid.Domain.Tests.Candidates;

public class ChargeNeutralityTests
{
    private static bool Neutral(string formula) => OxidationData.Neutrality.IsNeutral(Composition.Parse(formula));

    [Theory]
    [InlineData("NaCl", true)]
    [InlineData("Fe2O3", true)]          // Fe+3
    [InlineData("FeO", true)]            // Fe+2
    [InlineData("Fe3O4", false)]         // needs mixed Fe(II)/Fe(III): one state per element cannot do it
    [InlineData("Li2GeS3", true)]        // 2·1 + 4 − 3·2
    [InlineData("Li2GeS4", false)]       // 2 + 4 − 8 = −2; S+4/S+6 make it more positive, Ge+2 more negative
    [InlineData("Ba2GeS4", true)]        // 2·2 + 4 − 8
    [InlineData("Na2SO4", true)]         // S+6 with O−2: the non-metal takes a positive state
    [InlineData("NaAr", false)]          // Ar has no oxidation states
    [InlineData("Ba0.9Sr0.1TiO3", true)] // fractional amounts, exact
    [InlineData("La0.75Sr0.25MnO3", false)] // Mn would need +3.25
    public void DecidesWithOneCommonStatePerElement(string formula, bool neutral) => Assert.Equal(neutral, Neutral(formula));

    [Fact]
    public void FindsTheBalancingStates()
    {
        var z = new[] { "Na", "S", "O" }.Select(s => PeriodicTable.BySymbol(s).AtomicNumber).ToArray();
        var states = new int[3];
        Assert.True(OxidationData.Neutrality.TryFindStates(z, [2, 1, 4], states));
        Assert.Equal([1, 6, -2], states);
    }

    [Fact]
    public void UsesTheGivenStatesOnly()
    {
        // An invented table where every element is +1 or −1: AB balances, A2B cannot.
        var toy = new ChargeNeutrality(_ => [-1, 1]);
        Assert.True(toy.IsNeutral(Composition.Parse("NaCl")));
        Assert.False(toy.IsNeutral(Composition.Parse("Na2Cl")));
        Assert.True(toy.IsNeutral(Composition.Parse("Na2ClBr")));
    }
}

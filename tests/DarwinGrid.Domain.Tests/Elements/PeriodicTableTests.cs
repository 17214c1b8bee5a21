using DarwinGrid.Domain.Elements;

namespace DarwinGrid.Domain.Tests.Elements;

public class PeriodicTableTests
{
    [Fact]
    public void HoldsAll118ElementsInAtomicNumberOrderWithUniqueSymbols()
    {
        Assert.Equal(118, PeriodicTable.All.Count);
        Assert.Equal(Enumerable.Range(1, 118), PeriodicTable.All.Select(e => e.AtomicNumber));
        Assert.Equal(118, PeriodicTable.All.Select(e => e.Symbol).Distinct(StringComparer.Ordinal).Count());
        Assert.All(PeriodicTable.All, e => Assert.Matches("^[A-Z][a-z]?$", e.Symbol));
    }

    [Theory]
    [InlineData("H", 1, "Hydrogen")]
    [InlineData("Fe", 26, "Iron")]
    [InlineData("W", 74, "Tungsten")]
    [InlineData("Og", 118, "Oganesson")]
    public void LooksUpBySymbolAndByAtomicNumber(string symbol, int z, string name)
    {
        var element = PeriodicTable.BySymbol(symbol);
        Assert.Equal(z, element.AtomicNumber);
        Assert.Equal(name, element.Name);
        Assert.Same(element, PeriodicTable.ByAtomicNumber(z));
    }

    [Fact]
    public void EverySymbolFindsItsOwnElement() =>
        Assert.All(PeriodicTable.All, e => Assert.Same(e, PeriodicTable.BySymbol(e.Symbol)));

    [Theory]
    [InlineData("CO")]
    [InlineData("co")]
    [InlineData("fe")]
    [InlineData("Xx")]
    [InlineData("")]
    [InlineData("Fee")]
    public void SymbolLookupIsCaseSensitiveAndRejectsNonSymbols(string text)
    {
        Assert.False(PeriodicTable.TryGetBySymbol(text, out _));
        Assert.Equal(0, PeriodicTable.AtomicNumberOf(text));
        var error = Assert.Throws<KeyNotFoundException>(() => PeriodicTable.BySymbol(text));
        Assert.Contains($"'{text}'", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(119)]
    public void RejectsAtomicNumbersOutsideTheTable(int z) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => PeriodicTable.ByAtomicNumber(z));
}

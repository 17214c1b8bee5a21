using DarwinGrid.Inference.Decoding;

namespace DarwinGrid.Inference.Tests.Decoding;

public sealed class NumberScannerTests
{
    [Theory]
    [InlineData(" 1.51", true)]
    [InlineData("0", true)]
    [InlineData("-0.5", true)]
    [InlineData(" +12", true)]
    [InlineData("3.", true)]
    [InlineData(".5", true)]
    [InlineData("1e5", true)]
    [InlineData(" 2.5E-3", true)]
    [InlineData(" ", false)]
    [InlineData("-", false)]
    [InlineData(".", false)]
    [InlineData("1e", false)]
    [InlineData("1e-", false)]
    public void ValidPrefixesAreCompleteOnlyWhenTheyAreWholeNumbers(string text, bool complete)
    {
        Assert.True(NumberScanner.IsValidPrefix(text));
        Assert.Equal(complete, NumberScanner.IsCompleteNumber(text));
        if (complete) Assert.True(double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _));
    }

    [Theory]
    [InlineData("  1")]
    [InlineData("1 ")]
    [InlineData("1.2.3")]
    [InlineData("--1")]
    [InlineData("e5")]
    [InlineData(".e5")]
    [InlineData("1e5e")]
    [InlineData("1e5.")]
    [InlineData("1-")]
    [InlineData("x")]
    public void InvalidTextIsRejected(string text) => Assert.False(NumberScanner.IsValidPrefix(text));

    [Fact]
    public void ARejectedChunkLeavesTheScannerUnchanged()
    {
        var scanner = new NumberScanner();
        Assert.True(scanner.TryAdvance(" 1"));
        Assert.False(scanner.TryAdvance(".2."));
        Assert.True(scanner.TryAdvance(".25"));
        Assert.True(scanner.IsComplete);
    }
}

using DarwinGrid.Domain.Compositions;

namespace DarwinGrid.Domain.Tests.Compositions;

public class CompositionParseErrorTests
{
    [Theory]
    [InlineData("", CompositionErrorKind.Empty, 1, "empty")]
    [InlineData("   ", CompositionErrorKind.Empty, 1, "whitespace")]
    [InlineData("FeXx2", CompositionErrorKind.UnknownElement, 3, "'Xx'")]
    [InlineData("C3H12I3N6Pbl5", CompositionErrorKind.UnknownElement, 10, "'Pbl'")]
    [InlineData("(BA)2PbI4", CompositionErrorKind.UnknownElement, 3, "'A'")]
    [InlineData("Fe2(O3", CompositionErrorKind.UnbalancedBrackets, 4, "never closed")]
    [InlineData("Fe2O3)", CompositionErrorKind.UnbalancedBrackets, 6, "no opening")]
    [InlineData("(Fe]2", CompositionErrorKind.MismatchedBrackets, 4, "'(' at position 1")]
    [InlineData("Fe()2", CompositionErrorKind.EmptyBrackets, 3, "Empty brackets")]
    [InlineData("Fe-2O", CompositionErrorKind.InvalidAmount, 3, "Negative")]
    [InlineData("Fe(O)-2", CompositionErrorKind.InvalidAmount, 6, "Negative")]
    [InlineData("Fe0O", CompositionErrorKind.InvalidAmount, 3, "Zero")]
    [InlineData("Fe0.000O", CompositionErrorKind.InvalidAmount, 3, "Zero")]
    [InlineData("Fe1e999O", CompositionErrorKind.InvalidAmount, 3, "too large")]
    [InlineData("((Fe1e200)1e200)O", CompositionErrorKind.AmountOutOfRange, 11, "of Fe (position 3) times 1E+200 at position 11 is too large")]
    [InlineData("Fe1e308Fe1e308", CompositionErrorKind.AmountOutOfRange, 1, "Fe is too large")]
    [InlineData("Fe(O1e-320)1e-10", CompositionErrorKind.InvalidAmount, 5, "too small")]
    [InlineData("Fe(O1e-300)1e-10", CompositionErrorKind.AmountOutOfRange, 12, "of O (position 4) times 1E-10 at position 12 underflows")]
    [InlineData("Fe·1e-300O1e-10", CompositionErrorKind.AmountOutOfRange, 4, "of O (position 10) times 1E-300 at position 4 underflows")]
    [InlineData("Fe1e-13O", CompositionErrorKind.AmountOutOfRange, 1, "Fe is less than")]
    [InlineData("Fe2O3x", CompositionErrorKind.UnexpectedCharacter, 6, "'x'")]
    [InlineData("Fe2O3!", CompositionErrorKind.UnexpectedCharacter, 6, "'!'")]
    [InlineData("Fe2O3, Fe3O4", CompositionErrorKind.UnexpectedCharacter, 6, "','")]
    [InlineData("CH3NH3PbBr(x)I(3-x)", CompositionErrorKind.UnexpectedCharacter, 12, "'x'")]
    [InlineData("Ta__Th", CompositionErrorKind.UnexpectedCharacter, 3, "'_'")]
    [InlineData("2H2O", CompositionErrorKind.MisplacedNumber, 1, "Number")]
    [InlineData("Fe 2", CompositionErrorKind.MisplacedNumber, 4, "Number")]
    [InlineData("C6H24N4PbI6 3H2O", CompositionErrorKind.MisplacedNumber, 13, "Number")]
    [InlineData("·H2O", CompositionErrorKind.MisplacedAdductSeparator, 1, "does not follow")]
    [InlineData("CuSO4·", CompositionErrorKind.MisplacedAdductSeparator, 6, "not followed")]
    [InlineData("CuSO4··H2O", CompositionErrorKind.MisplacedAdductSeparator, 7, "does not follow")]
    [InlineData("(CuSO4·)2", CompositionErrorKind.MisplacedAdductSeparator, 7, "not followed")]
    [InlineData("Fe.5", CompositionErrorKind.MisplacedAdductSeparator, 3, "Ambiguous")]
    public void RejectsBadInputNamingTheProblemAndItsPosition(string input, CompositionErrorKind kind, int position, string detail)
    {
        Assert.False(CompositionParser.TryParse(input, out var composition, out var error));
        Assert.Null(composition);
        Assert.Equal(kind, error.Kind);
        Assert.Equal(position, error.Position);
        Assert.Contains(detail, error.Message, StringComparison.OrdinalIgnoreCase);
        if (kind is not (CompositionErrorKind.Empty))
            Assert.Contains($"position {position}", error.Message);

        var thrown = Assert.Throws<CompositionParseException>(() => CompositionParser.Parse(input));
        Assert.Equal(error, thrown.Error);
        Assert.Equal(input, thrown.Input);
        Assert.Equal(position, thrown.Position);
    }

    [Fact]
    public void RejectsAbsurdlyLongInput()
    {
        var input = string.Concat(Enumerable.Repeat("Fe", 513));
        Assert.False(CompositionParser.TryParse(input, out _, out var error));
        Assert.Equal(CompositionErrorKind.TooLong, error.Kind);
        Assert.Equal(CompositionParser.MaxLength + 1, error.Position);
        Assert.Contains("1026 characters", error.Message);

        var longest = string.Concat(Enumerable.Repeat("Fe", 512));
        Assert.Equal("Fe", CompositionParser.Parse(longest).CanonicalFormula);
    }

    [Fact]
    public void RejectsBracketsNestedTooDeeply()
    {
        var input = new string('(', 40) + "Fe" + new string(')', 40);
        Assert.False(CompositionParser.TryParse(input, out _, out var error));
        Assert.Equal(CompositionErrorKind.NestingTooDeep, error.Kind);
        Assert.Equal(FormulaDepthLimit, error.Position);

        var deepest = new string('(', FormulaDepthLimit - 1) + "Fe" + new string(')', FormulaDepthLimit - 1);
        Assert.Equal("Fe", CompositionParser.Parse(deepest).CanonicalFormula);
    }

    // Depth 32 includes the top level, so 31 open brackets are allowed and the 32nd is refused.
    private const int FormulaDepthLimit = 32;
}

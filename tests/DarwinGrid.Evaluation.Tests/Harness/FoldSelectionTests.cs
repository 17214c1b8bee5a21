using DarwinGrid.Evaluation.Harness;

namespace DarwinGrid.Evaluation.Tests.Harness;

public class FoldSelectionTests
{
    [Theory]
    [InlineData("0..4", new[] { 0, 1, 2, 3, 4 })]
    [InlineData("1..2", new[] { 1, 2 })]
    [InlineData("0,2", new[] { 0, 2 })]
    [InlineData(" 2, 0 ,2", new[] { 0, 2 })]
    [InlineData("3", new[] { 3 })]
    public void ReadsRangesListsAndSingleFolds(string text, int[] expected) => Assert.Equal(expected, FoldSelection.Parse(text));

    [Theory]
    [InlineData("0..5", "fold 5 does not exist")]
    [InlineData("3..1", "ends before it starts")]
    [InlineData("a", "'a' is not a fold number")]
    [InlineData("-1", "'-1' is not a fold number")]
    [InlineData("", "'' is not a fold number")]
    public void RefusesWhatIsNotAFoldSelection(string text, string message) =>
        Assert.Contains(message, Assert.Throws<FormatException>(() => FoldSelection.Parse(text)).Message);
}

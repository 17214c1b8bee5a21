using DarwinGrid.Domain.Acquisition;
using DarwinGrid.Domain.Compositions;

namespace DarwinGrid.Domain.Tests.Acquisition;

public class DiverseBatchSelectorTests
{
    private static ScoredCandidate Candidate(string formula, double score) => new(formula, CompositionParser.Parse(formula), score);

    [Fact]
    public void SimilarityIsOneForTheSameRatiosAndZeroForDisjointElements()
    {
        Assert.Equal(1.0, CompositionSimilarity.Of(CompositionParser.Parse("Fe2O3"), CompositionParser.Parse("O3Fe2")), 12);
        Assert.Equal(1.0, CompositionSimilarity.Of(CompositionParser.Parse("Fe2O3"), CompositionParser.Parse("Fe0.4O0.6")), 12);
        Assert.Equal(0.0, CompositionSimilarity.Of(CompositionParser.Parse("NaCl"), CompositionParser.Parse("GaAs")), 12);
        // FeO (0.5, 0.5) vs Fe2O3 (0.4, 0.6): L1 = 0.2 -> 0.9
        Assert.Equal(0.9, CompositionSimilarity.Of(CompositionParser.Parse("FeO"), CompositionParser.Parse("Fe2O3")), 12);
        // CsPbI3 (0.2, 0.2, 0.6) vs CsPbBr3 (0.2, 0.2, 0.6 Br): L1 = 1.2 -> 0.4
        Assert.Equal(0.4, CompositionSimilarity.Of(CompositionParser.Parse("CsPbI3"), CompositionParser.Parse("CsPbBr3")), 12);
    }

    [Fact]
    public void WithoutAPenaltyTheBatchIsTheTopScores()
    {
        var picks = DiverseBatchSelector.Select([Candidate("FeO", 0.5), Candidate("Fe2O3", 0.9), Candidate("GaAs", 0.7)], 2, 0);
        Assert.Equal(["Fe2O3", "GaAs"], picks.Select(p => p.Candidate.Id));
    }

    [Fact]
    public void ThePenaltyKeepsNearDuplicatesOutOfTheBatch()
    {
        // Normalised scores: Fe2O3 1.0, FeO 0.95/1 = 0.95, GaAs 0.6. After Fe2O3: FeO 0.95 - 0.5*0.9 = 0.5,
        // GaAs 0.6 - 0 = 0.6 -> GaAs second, then FeO (similarity to GaAs 0, still 0.9 to Fe2O3).
        var picks = DiverseBatchSelector.Select([Candidate("FeO", 0.95), Candidate("Fe2O3", 1.0), Candidate("GaAs", 0.6)], 3, 0.5);
        Assert.Equal(["Fe2O3", "GaAs", "FeO"], picks.Select(p => p.Candidate.Id));
        Assert.Equal(0.6, picks[1].AdjustedScore, 12);
        Assert.Equal(0.9, picks[2].MaxSimilarity, 12);
        Assert.Equal(0.95 - 0.45, picks[2].AdjustedScore, 12);
    }

    [Fact]
    public void AskingForMoreThanThereIsGivesEverythingOnce()
    {
        var picks = DiverseBatchSelector.Select([Candidate("NaCl", 1), Candidate("KCl", 1)], 5, 1);
        Assert.Equal(["NaCl", "KCl"], picks.Select(p => p.Candidate.Id));
    }

    [Fact]
    public void BadArgumentsAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DiverseBatchSelector.Select([], 1, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => DiverseBatchSelector.Select([], -1, 0));
        Assert.Throws<ArgumentException>(() => DiverseBatchSelector.Select([Candidate("NaCl", double.NaN)], 1, 0));
    }
}

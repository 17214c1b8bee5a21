using DarwinGrid.Domain.Tasks;
using DarwinGrid.Evaluation.Harness;
using DarwinGrid.Evaluation.Models;

namespace DarwinGrid.Evaluation.Tests.Harness;

/// <summary>Interval coverage and width beside MAE, for models that give intervals only.</summary>
public sealed class IntervalScoreTests
{
    private static readonly PropertyTask Gap = TaskCatalog.Get("matbench_expt_gap");

    [Fact]
    public void CoverageAndWidthCountTheAnswersThatCarryAnInterval()
    {
        PredictionRow[] rows =
        [
            Row(1, actual: 1.0, ModelOutput.Number(1.1, 0.5, 1.5)),
            Row(2, actual: 2.0, ModelOutput.Number(1.0, 0.0, 1.5)),
            Row(3, actual: 0.0, ModelOutput.Number(0.0, 0.0, 0.0)),
            Row(4, actual: 3.0, ModelOutput.Number(2.0), failure: "cap reached"),
        ];

        var (metrics, notes) = FoldScorer.Score(Gap, rows);

        Assert.Equal(2.0 / 3, metrics[FoldScorer.IntervalCoverage], 12);
        Assert.Equal((1.0 + 1.5 + 0.0) / 3, metrics[FoldScorer.IntervalWidth], 12);
        Assert.Contains(notes, n => n.Contains("3 of 4"));
    }

    [Fact]
    public void AModelWithoutIntervalsHasUndefinedCoverageNotZero()
    {
        var (metrics, _) = FoldScorer.Score(Gap, [Row(1, 1.0, ModelOutput.Number(1.2)), Row(2, 0.0, ModelOutput.Number(0.1))]);

        Assert.True(double.IsNaN(metrics[FoldScorer.IntervalCoverage]));
        Assert.True(double.IsNaN(metrics[FoldScorer.IntervalWidth]));
        Assert.Equal(0.15, metrics[FoldScorer.Mae], 12);
    }

    private static PredictionRow Row(int number, double actual, ModelOutput output, string? failure = null) =>
        new(number, $"X{number}", new TargetValue.Number(actual), output, failure);
}

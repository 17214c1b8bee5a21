using DarwinGrid.Domain.Datasets;
using DarwinGrid.Domain.Tasks;
using DarwinGrid.Evaluation.Models;

namespace DarwinGrid.Evaluation.Tests.Models;

/// <summary>How an ensemble's members' answers become its answer, record by record (no native code).</summary>
public sealed class EnsembleCombinationTests
{
    private static readonly PropertyTask Gap = TaskCatalog.Get("matbench_expt_gap");
    private static readonly PropertyTask Metal = TaskCatalog.Get("matbench_is_metal");
    private static readonly string[] Three = ["seed 1", "seed 2", "seed 3"];

    [Fact]
    public void NumbersAreTheMeanOfTheMembersAndTheIntervalTheMeanOfTheirBounds()
    {
        var combined = EnsembleCombination.Combine(Gap, Three,
        [
            [ModelOutput.Number(1.0, 0.5, 1.5), ModelOutput.Number(0, 0, 0.2)],
            [ModelOutput.Number(2.0, 1.0, 4.0), ModelOutput.Number(0.3, 0, 0.8)],
            [ModelOutput.Number(3.0, 1.5, 2.5), ModelOutput.Number(0.6, 0.1, 1.1)],
        ]);

        Assert.Equal(2, combined.Count);
        Assert.Equal((2.0, 1.0, 8.0 / 3), (combined[0].Value!.Value, combined[0].Low!.Value, combined[0].High!.Value), TupleComparer(1e-12));
        Assert.Equal((0.3, 0.1 / 3, 0.7), (combined[1].Value!.Value, combined[1].Low!.Value, combined[1].High!.Value), TupleComparer(1e-12));
    }

    [Fact]
    public void ClassProbabilitiesAreTheMeanOfTheMembers()
    {
        var combined = EnsembleCombination.Combine(Metal, ["a", "b"],
        [
            [ModelOutput.Classes([0.9, 0.1])],
            [ModelOutput.Classes([0.4, 0.6])],
        ]);

        var scores = Assert.Single(combined).ClassScores!;
        Assert.Equal(0.65, scores[0], 12);
        Assert.Equal(0.35, scores[1], 12);
    }

    [Fact]
    public void AMemberThatFailedARecordIsLeftOutOfThatRecordOnly()
    {
        var combined = EnsembleCombination.Combine(Gap, Three,
        [
            [ModelOutput.Failure("answer cut short"), ModelOutput.Number(1.0, 0.5, 1.5)],
            [ModelOutput.Number(2.0, 1.0, 3.0), ModelOutput.Number(2.0, 1.5, 2.5)],
            [ModelOutput.Number(4.0, 3.0, 5.0), ModelOutput.Number(double.NaN)],
        ]);

        Assert.Equal((3.0, 2.0, 4.0), (combined[0].Value!.Value, combined[0].Low!.Value, combined[0].High!.Value));
        // The third member's NaN cannot be scored, so it does not count either.
        Assert.Equal((1.5, 1.0, 2.0), (combined[1].Value!.Value, combined[1].Low!.Value, combined[1].High!.Value));
        Assert.All(combined, c => Assert.False(c.IsFailure));
    }

    [Fact]
    public void WhenEveryMemberFailedTheRecordIsAFailureNamingEachReason()
    {
        var combined = EnsembleCombination.Combine(Metal, ["seed 1", "seed 2"],
        [
            [ModelOutput.Failure("no label token"), ModelOutput.Classes([0.2, 0.8])],
            [ModelOutput.Classes([0.5]), ModelOutput.Failure("engine overloaded")],
        ]);

        Assert.True(combined[0].IsFailure);
        Assert.Contains("every member of the ensemble failed", combined[0].Error);
        Assert.Contains("seed 1: no label token", combined[0].Error);
        Assert.Contains("seed 2: not 2 finite class scores", combined[0].Error);
        Assert.Equal([0.2, 0.8], combined[1].ClassScores!);
    }

    [Fact]
    public void TheIntervalIsDroppedWhenAnAnsweringMemberGaveNone()
    {
        var combined = EnsembleCombination.CombineRecord(Gap, ["greedy", "median"], [ModelOutput.Number(1.0), ModelOutput.Number(2.0, 1.0, 3.0)]);

        Assert.Equal(1.5, combined.Value);
        Assert.False(combined.HasInterval);
    }

    [Fact]
    public void MembersThatDisagreeOnTheRecordCountAreRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => EnsembleCombination.Combine(Gap, ["a", "b"],
            [[ModelOutput.Number(1)], [ModelOutput.Number(1), ModelOutput.Number(2)]]));
        Assert.Contains("Member 'b' answered 2 records, 'a' 1", error.Message);
    }

    [Fact]
    public async Task TheEnsembleModelFitsEveryMemberAndCombinesTheirPredictions()
    {
        var records = new[] { new TaskRecord(1, "GaAs", new TargetValue.Number(1.4)), new TaskRecord(2, "Cu", new TargetValue.Number(0)) };
        var low = new ConstantModel("low", 1.0);
        var high = new ConstantModel("high", 3.0);
        var ensemble = new EnsembleModel("constants x2", [low, high]);

        await ensemble.FitAsync(Gap, records, CancellationToken.None);
        var outputs = await ensemble.PredictAsync(Gap, records, CancellationToken.None);

        Assert.Equal((1, 1), (low.Fits, high.Fits));
        Assert.Equal([2.0, 2.0], outputs.Select(o => o.Value!.Value));
        Assert.Equal("constants x2", ensemble.Name);
    }

    private static IEqualityComparer<(double, double, double)> TupleComparer(double tolerance) =>
        EqualityComparer<(double, double, double)>.Create((x, y) =>
            Math.Abs(x.Item1 - y.Item1) <= tolerance && Math.Abs(x.Item2 - y.Item2) <= tolerance && Math.Abs(x.Item3 - y.Item3) <= tolerance);

    /// <summary>Answers every record with one number; counts its fits.</summary>
    private sealed class ConstantModel(string name, double value) : IPropertyModel
    {
        public int Fits { get; private set; }

        public string Name => name;

        public Task FitAsync(PropertyTask task, IReadOnlyList<TaskRecord> trainRecords, CancellationToken cancellationToken)
        {
            Fits++;
            return Task.CompletedTask;
        }

        public Task<IReadOnlyList<ModelOutput>> PredictAsync(PropertyTask task, IReadOnlyList<TaskRecord> testRecords, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<ModelOutput>>(testRecords.Select(_ => ModelOutput.Number(value)).ToArray());
    }
}

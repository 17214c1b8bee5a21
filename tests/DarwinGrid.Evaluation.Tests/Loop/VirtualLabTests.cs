using DarwinGrid.Domain.Acquisition;
using DarwinGrid.Domain.Predictions;
using DarwinGrid.Domain.Screening;
using DarwinGrid.Evaluation.Loop;

namespace DarwinGrid.Evaluation.Tests.Loop;

public class VirtualLabTests
{
    // 40 binary compounds of distinct element pairs; the value rises with the index, so the best
    // two (5% of 40) are the last two.
    private static readonly string[] Elements = ["Li", "Na", "K", "Rb", "Cs", "Mg", "Ca", "Sr", "Ba", "Zn"];
    private static readonly string[] Anions = ["O", "S", "Se", "Te"];
    private static readonly IReadOnlyList<PoolRecord> Pool =
        [.. Elements.SelectMany(e => Anions.Select(a => e + a)).Select((c, i) => new PoolRecord(c, i / 10.0))];

    /// <summary>A model that ranks the pool backwards until it has measured something, and knows every value after.</summary>
    private sealed class LearningSurrogate : ILabSurrogate
    {
        public int Updates { get; private set; }
        public string Version => $"v{Updates}";

        public Task<IReadOnlyList<NumericDistribution?>> PredictAsync(IReadOnlyList<string> compositions, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<NumericDistribution?>>([.. compositions.Select(c =>
            {
                var value = Pool.First(r => r.Composition == c).Value;
                return (NumericDistribution?)NumericDistribution.PointMass(Updates == 0 ? 3.9 - value : value);
            })]);

        public Task UpdateAsync(IReadOnlyList<PoolRecord> measured, CancellationToken cancellationToken)
        {
            Updates++;
            return Task.CompletedTask;
        }
    }

    private sealed class OracleSurrogate : ILabSurrogate
    {
        public int Updates { get; private set; }
        public string Version => "oracle";
        public Task<IReadOnlyList<NumericDistribution?>> PredictAsync(IReadOnlyList<string> compositions, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<NumericDistribution?>>([.. compositions.Select(c => (NumericDistribution?)NumericDistribution.PointMass(Pool.First(r => r.Composition == c).Value))]);
        public Task UpdateAsync(IReadOnlyList<PoolRecord> measured, CancellationToken cancellationToken) { Updates++; return Task.CompletedTask; }
    }

    private static readonly VirtualLabSettings Settings = new() { Rounds = 3, BatchSize = 4, HitShare = 0.05, Rule = AcquisitionRule.Ei, DiversityWeight = 0, Seed = 7 };

    [Fact]
    public void HitsAreTheBestShareOfThePoolByTheObjective()
    {
        Assert.Equal(["ZnSe", "ZnTe"], HitSet.Of(Pool, ScreeningGoal.Maximize, null, 0.05).Compositions.Order());
        Assert.Equal(["LiO", "LiS"], HitSet.Of(Pool, ScreeningGoal.Minimize, null, 0.05).Compositions.Order());
        var near = HitSet.Of(Pool, ScreeningGoal.Target, 1.34, 0.05); // 1.3 and 1.4 are closest
        Assert.Equal(["RbS", "RbSe"], near.Compositions.Order());
        Assert.Equal(0.06, near.Threshold, 9);
    }

    [Fact]
    public async Task GreedyWithAPerfectModelFindsEveryHitInTheFirstRoundAndNeverUpdates()
    {
        var oracle = new OracleSurrogate();
        var run = await new VirtualLab(Pool, Settings).RunAsync(LoopStrategy.Greedy, oracle);
        Assert.Equal([2, 2, 2], run.Rounds.Select(r => r.CumulativeHits));
        Assert.Equal(["ZnTe", "ZnSe", "ZnS", "ZnO"], run.Rounds[0].Batch);
        Assert.Equal(0, oracle.Updates);
    }

    [Fact]
    public async Task TheLoopLearnsBetweenRoundsAndBeatsAGreedyRunOnTheSameModel()
    {
        var lab = new VirtualLab(Pool, Settings);
        var loopModel = new LearningSurrogate();
        var loop = await lab.RunAsync(LoopStrategy.Loop, loopModel);
        var greedy = await lab.RunAsync(LoopStrategy.Greedy, new LearningSurrogate());

        Assert.Equal(2, loopModel.Updates); // after rounds 1 and 2, not after the last
        Assert.Equal(["v0", "v1", "v2"], loop.Rounds.Select(r => r.ModelVersion));
        Assert.Equal(12, loop.Rounds.SelectMany(r => r.Batch).Distinct().Count()); // nothing measured twice
        Assert.Equal([0, 2, 2], loop.Rounds.Select(r => r.CumulativeHits)); // round 2 is chosen by the updated model
        Assert.Equal(0, greedy.Hits); // greedy keeps the backwards ranking
    }

    [Fact]
    public async Task RandomBatchesDependOnlyOnTheSeed()
    {
        var a = await new VirtualLab(Pool, Settings).RunAsync(LoopStrategy.Random, new OracleSurrogate());
        var b = await new VirtualLab(Pool, Settings).RunAsync(LoopStrategy.Random, new OracleSurrogate());
        var c = await new VirtualLab(Pool, Settings with { Seed = 8 }).RunAsync(LoopStrategy.Random, new OracleSurrogate());
        Assert.Equal(a.Rounds.SelectMany(r => r.Batch), b.Rounds.SelectMany(r => r.Batch));
        Assert.NotEqual(a.Rounds.SelectMany(r => r.Batch), c.Rounds.SelectMany(r => r.Batch));
    }

    [Fact]
    public void BadSettingsAreRefusedByName()
    {
        Assert.Contains("Rounds", Assert.Throws<ArgumentOutOfRangeException>(() => new VirtualLab(Pool, Settings with { Rounds = 0 })).Message);
        Assert.Contains("target", Assert.Throws<ArgumentException>(() => new VirtualLab(Pool, Settings with { Goal = ScreeningGoal.Target })).Message);
    }
}

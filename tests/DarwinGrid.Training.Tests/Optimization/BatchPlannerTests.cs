using DarwinGrid.Training.Graph;
using DarwinGrid.Training.Optimization;

namespace DarwinGrid.Training.Tests.Optimization;

public sealed class BatchPlannerTests
{
    private static readonly List<TrainingRecord> Records = Enumerable.Range(0, 23)
        .Select(i => new TrainingRecord([1, .. Enumerable.Repeat(10 + i, 2 + i % 5)], [.. Enumerable.Repeat(40 + i, 1 + i % 3)]))
        .ToList();

    [Theory]
    [InlineData(RecordLayout.Padded)]
    [InlineData(RecordLayout.Packed)]
    public void EveryAnswerTokenIsGatheredOnceAtThePositionBeforeIt(RecordLayout records)
    {
        var layout = BatchLayout.For(Records, new TrainerOptions { BatchRows = 3, Layout = records }, 100, 512);
        var batches = BatchPlanner.Plan(Records, layout).ToList();
        var gathered = new List<int>();
        foreach (var batch in batches)
        {
            Assert.Equal(layout.TokenCount, batch.Tokens.Length);
            for (var slot = 0; slot < batch.AnswerCount; slot++)
            {
                var position = batch.GatherIndices[slot];
                Assert.Equal(batch.Targets[slot], batch.Tokens[position + 1]);
                Assert.Equal(batch.Positions[position] + 1, batch.Positions[position + 1]);
                gathered.Add(batch.Targets[slot]);
            }
            Assert.All(batch.Targets[batch.AnswerCount..], t => Assert.Equal(-1, t));
        }
        Assert.Equal(Records.SelectMany(r => r.ResponseTokens).Order(), gathered.Order());
        Assert.Equal(Records.Sum(r => r.Length), batches.Sum(b => b.RecordTokens));
        if (records == RecordLayout.Packed) Assert.True(batches.Count < BatchPlanner.Plan(Records, layout with { Records = RecordLayout.Padded }).Count());
    }

    [Fact]
    public void PackedRecordsOnlySeeThemselvesAndEarlierTokens()
    {
        var mask = new float[6 * 6];
        AttentionMask.FillRow(mask, 6, [2, 3]);
        // Row-major [query][key]: record A = positions 0-1, record B = 2-4, position 5 is padding.
        string[] expected =
        [
            "x.....",
            "xx....",
            "..x...",
            "..xx..",
            "..xxx.",
            ".....x",
        ];
        for (var q = 0; q < 6; q++)
        {
            var row = new string(Enumerable.Range(0, 6).Select(k => mask[q * 6 + k] == 0 ? 'x' : '.').ToArray());
            Assert.Equal(expected[q], row);
        }
        Assert.All(mask, v => Assert.True(v == 0 || float.IsNegativeInfinity(v)));
    }

    [Fact]
    public void ScheduleWarmsUpLinearlyThenDecaysToTheFloor()
    {
        var schedule = new LearningRateSchedule(1e-3f, 1e-4f, WarmupSteps: 4, TotalSteps: 20);
        Assert.Equal(2.5e-4f, schedule.At(0), 1e-9f);
        Assert.Equal(1e-3f, schedule.At(3), 1e-9f);
        Assert.Equal(1e-3f, schedule.At(4), 1e-9f);
        Assert.Equal(1e-4f, schedule.At(19), 1e-9f);
        for (var step = 5; step < 20; step++) Assert.True(schedule.At(step) < schedule.At(step - 1));
    }
}

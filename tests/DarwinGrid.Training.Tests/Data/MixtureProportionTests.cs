using DarwinGrid.Domain.Tasks;
using DarwinGrid.TestSupport;
using DarwinGrid.Training.Data;

namespace DarwinGrid.Training.Tests.Data;

[Collection(DataCollection.Name)]
public sealed class MixtureProportionTests(DataFixture fixture)
{
    [Fact]
    public void EveryCatalogTaskIsInAnEpochWithItsTemperatureShare()
    {
        var mixture = fixture.Fold0;
        var epoch = mixture.Epoch(0);
        var counts = epoch.GroupBy(e => e.Task).ToDictionary(g => g.Key, g => g.Count());
        var records = mixture.Partitions.Sum(p => p.Train.Count);
        var mass = mixture.Partitions.Sum(p => Math.Sqrt(p.Train.Count));

        Assert.Equal(TaskCatalog.All.Select(t => t.Name), mixture.Partitions.Select(p => p.Task.Name));
        Assert.Equal(TaskCatalog.All.Select(t => t.Name).Order(), counts.Keys.Order());
        Assert.Equal(records, mixture.ExamplesPerEpoch, tolerance: mixture.Partitions.Count); // E defaults to Σn (± rounding)
        foreach (var p in mixture.Partitions)
        {
            var expected = Math.Sqrt(p.Train.Count) / mass; // α = 0.5
            Assert.True(Math.Abs((double)counts[p.Task.Name] / records - expected) <= 1.0 / records,
                $"{p.Task.Name}: {counts[p.Task.Name]} of {records} examples, expected share {expected:F4}");
        }
    }

    [Fact]
    public void SmallTasksAreUpSampledAndEachRecordRepeatsEvenly()
    {
        var mixture = fixture.Fold0;
        var partition = mixture.Partitions.Single(p => p.Task.Name == "magnetic_moment");
        var rows = mixture.Epoch(0).Where(e => e.Task == "magnetic_moment" && e.Kind == ExampleKind.Record)
            .GroupBy(e => e.SourceRow).ToDictionary(g => g.Key!.Value, g => g.Count());
        var examples = rows.Values.Sum();
        var natural = (double)partition.Train.Count / mixture.Partitions.Sum(p => p.Train.Count);

        Assert.True(examples > 2 * partition.Train.Count, $"{examples} examples from {partition.Train.Count} records is not up-sampling");
        Assert.True((double)examples / mixture.ExamplesPerEpoch > 3 * natural);
        Assert.Equal(partition.Train.Select(r => r.RowNumber).Order(), rows.Keys.Order());
        Assert.All(rows.Values, n => Assert.InRange(n, examples / partition.Train.Count, examples / partition.Train.Count + 1));
    }

    [Fact]
    public void LargeTasksAreDownSampledPerEpochButCycleThroughAllRecords()
    {
        var mixture = fixture.Fold0;
        var partition = mixture.Partitions.Single(p => p.Task.Name == "matbench_glass");
        int[] Rows(int epoch) => mixture.Epoch(epoch)
            .Where(e => e.Task == "matbench_glass" && e.Kind == ExampleKind.Record).Select(e => e.SourceRow!.Value).ToArray();
        var first = Rows(0);
        var second = Rows(1);

        Assert.True(first.Length < partition.Train.Count);
        Assert.Equal(first.Length, first.Distinct().Count());
        Assert.Equal(partition.Train.Select(r => r.RowNumber).Order(), first.Concat(second).Distinct().Order());
    }

    [Fact]
    public void ATaskSubsetGivesOnlyThoseTasksInCatalogOrder()
    {
        var mixture = MultiTaskMixture.Load(SharedData.Root, new MultiTaskOptions { Tasks = ["water_stability", "MATBENCH_STEELS"] });
        Assert.Equal(["matbench_steels", "water_stability"], mixture.Partitions.Select(p => p.Task.Name));
        Assert.Equal(["matbench_steels", "water_stability"], mixture.Epoch(0).Select(e => e.Task).Distinct().Order());
        Assert.Throws<KeyNotFoundException>(() => MultiTaskMixture.Load(SharedData.Root, new MultiTaskOptions { Tasks = ["no_such_task"] }));
    }

    [Fact]
    public void WeightsExponentSizeAndFloorSetTheShares()
    {
        string[] tasks = ["matbench_steels", "pei_phase"];
        int Count(MultiTaskMixture m, string task) => m.Shares.Single(s => s.Task == task).ExamplesPerEpoch;

        var natural = MultiTaskMixture.Load(SharedData.Root, new MultiTaskOptions { Tasks = tasks, SamplingExponent = 1, DistractorRate = 0 });
        Assert.All(natural.Partitions, p => Assert.Equal(p.Train.Count, Count(natural, p.Task.Name)));

        var uniform = MultiTaskMixture.Load(SharedData.Root, new MultiTaskOptions { Tasks = tasks, SamplingExponent = 0, ExamplesPerEpoch = 1000 });
        Assert.Equal(500, Count(uniform, "matbench_steels"));
        Assert.Equal(500, Count(uniform, "pei_phase"));

        var weighted = MultiTaskMixture.Load(SharedData.Root, new MultiTaskOptions
        {
            Tasks = tasks, SamplingExponent = 0, ExamplesPerEpoch = 1000, TaskWeights = new Dictionary<string, double> { ["pei_phase"] = 3 },
        });
        Assert.Equal(250, Count(weighted, "matbench_steels"));
        Assert.Equal(750, Count(weighted, "pei_phase"));
        Assert.Equal(1000, weighted.Epoch(0).Count);

        var floored = MultiTaskMixture.Load(SharedData.Root, new MultiTaskOptions { Tasks = tasks, SamplingExponent = 1, MinExamplesPerTask = 600 });
        Assert.Equal(600, Count(floored, "matbench_steels"));

        Assert.Throws<ArgumentException>(() => MultiTaskMixture.Load(SharedData.Root, new MultiTaskOptions
        {
            Tasks = tasks, TaskWeights = new Dictionary<string, double> { ["matbench_glass"] = 2 },
        }));
    }
}

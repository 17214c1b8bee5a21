using DarwinGrid.Domain.Tasks;
using DarwinGrid.Evaluation.Baselines;
using DarwinGrid.Evaluation.Harness;
using DarwinGrid.Evaluation.Models;
using DarwinGrid.TestSupport;

namespace DarwinGrid.Evaluation.Tests.Harness;

public class FoldRequestTests
{
    [Fact]
    public async Task ModelsAreMadeFoldByFoldWithEveryTaskOfTheRunAndItsOutputFolder()
    {
        PropertyTask[] tasks = [TaskCatalog.Get("matbench_steels"), TaskCatalog.Get("matbench_expt_gap")];
        var requests = new List<FoldRequest>();
        var spec = new ModelSpec("recording", "records what it was made for", request =>
        {
            requests.Add(request);
            return new DummyModel();
        });
        var outDir = TestModels.TemporaryFolder();

        var report = await new CrossValidation(SharedData.Root).RunAsync(tasks, spec, [3, 1], outDir);

        // A model trained per fold (multi-task) serves all tasks of a fold before the next fold is trained.
        Assert.Equal(
            [("matbench_steels", 1), ("matbench_expt_gap", 1), ("matbench_steels", 3), ("matbench_expt_gap", 3)],
            requests.Select(r => (r.Task.Name, r.Fold)));
        Assert.All(requests, r => Assert.Equal(tasks, r.Tasks));
        Assert.All(requests, r => Assert.Equal(outDir, r.OutputDirectory));
        // The report still lists tasks in the order given, each with its folds in order.
        Assert.Equal(["matbench_steels", "matbench_expt_gap"], report.Tasks.Select(t => t.Task));
        Assert.All(report.Tasks, t => Assert.Equal([1, 3], t.Folds.Select(f => f.Fold)));
    }
}

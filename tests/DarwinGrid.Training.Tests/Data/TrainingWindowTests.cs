using DarwinGrid.Training.Data;

namespace DarwinGrid.Training.Tests.Data;

/// <summary>The window comes from the tokenized run; a window that would drop more than 1% of a task or any validation record is refused.</summary>
public sealed class TrainingWindowTests
{
    private static TokenizedExample Example(string task, int length) => new(new int[length - 2], [7, 2], task);

    private static IReadOnlyList<TokenizedExample> Examples(string task, params (int Count, int Length)[] groups) =>
        groups.SelectMany(g => Enumerable.Range(0, g.Count).Select(_ => Example(task, g.Length))).ToArray();

    [Fact]
    public void WindowIsLongEnoughFor99PercentOfEachTaskAndEveryValidationRecord()
    {
        var train = Examples("matbench_steels", (990, 120), (10, 400)).Concat(Examples("matbench_expt_gap", (500, 40))).ToArray();
        var validation = Examples("matbench_steels", (5, 150));

        var window = TrainingWindow.Choose(train, validation, new TrainingWindowRequest(null, Minimum: 64, ContextLength: 512));

        Assert.Equal(150, window); // 1% of steels (the 400-token ones) may go; the validation records may not
    }

    [Fact]
    public void WindowIsNeverShorterThanThePresets()
    {
        var window = TrainingWindow.Choose(Examples("a", (10, 30)), [], new TrainingWindowRequest(null, Minimum: 144, ContextLength: 512));
        Assert.Equal(144, window);
    }

    [Fact]
    public void RequestedWindowThatDropsMoreThanOnePercentOfATaskFailsNamingTaskAndLengths()
    {
        var train = Examples("matbench_steels", (148, 130), (7852, 290)).Concat(Examples("matbench_expt_gap", (100, 40))).ToArray();

        var error = Assert.Throws<TrainingWindowException>(() =>
            TrainingWindow.Choose(train, [], new TrainingWindowRequest(Requested: 144, Minimum: 144, ContextLength: 512)));

        Assert.Contains("'matbench_steels'", error.Message);
        Assert.Contains("7,852 of 8,000", error.Message);
        Assert.Contains("130-290 tokens", error.Message);
        Assert.Contains("--window 290", error.Message);
    }

    [Fact]
    public void RequestedWindowThatDropsAValidationRecordFails()
    {
        var train = Examples("ESOL", (100, 60));
        var validation = Examples("ESOL", (9, 60), (1, 97));

        var error = Assert.Throws<TrainingWindowException>(() =>
            TrainingWindow.Choose(train, validation, new TrainingWindowRequest(Requested: 96, Minimum: 64, ContextLength: 512)));

        Assert.Contains("1 of 10 validation records of task 'ESOL'", error.Message);
        Assert.Contains("60-97 tokens", error.Message);
    }

    [Fact]
    public void OnePercentOfATaskMayBeDroppedWithARequestedWindow()
    {
        var train = Examples("matbench_glass", (99, 50), (1, 300));
        Assert.Equal(64, TrainingWindow.Choose(train, [], new TrainingWindowRequest(Requested: 64, Minimum: 144, ContextLength: 512)));
    }

    [Fact]
    public void DataThatNeedsMoreThanTheModelsContextFailsNamingTheTask()
    {
        var train = Examples("sii_mdp_pce", (100, 700));

        var error = Assert.Throws<TrainingWindowException>(() =>
            TrainingWindow.Choose(train, [], new TrainingWindowRequest(null, Minimum: 144, ContextLength: 512)));

        Assert.Contains("'sii_mdp_pce' needs a window of 700 tokens", error.Message);
        Assert.Contains("context of 512", error.Message);
    }
}

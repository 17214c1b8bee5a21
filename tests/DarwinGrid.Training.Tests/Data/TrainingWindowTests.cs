using DarwinGrid.Training.Data;

namespace DarwinGrid.Training.Tests.Data;

/// <summary>The window comes from the tokenized run; a window that would drop more than 1% of a task or any validation record is refused.</summary>
public sealed class TrainingWindowTests
{
    private static TokenizedExample Example(string task, int length) => new(new int[length - 2], [7, 2], task);

    private static IReadOnlyList<TokenizedExample> Examples(string task, params (int Count, int Length)[] groups) =>
        groups.SelectMany(g => Enumerable.Range(0, g.Count).Select(_ => Example(task, g.Length))).ToArray();

    [Fact]
    public void Window_is_long_enough_for_99_percent_of_each_task_and_every_validation_record()
    {
        var train = Examples("matbench_steels", (990, 120), (10, 400)).Concat(Examples("matbench_expt_gap", (500, 40))).ToArray();
        var validation = Examples("matbench_steels", (5, 150));

        var window = TrainingWindow.Choose(train, validation, new TrainingWindowRequest(null, Minimum: 64, ContextLength: 512));

        Assert.Equal(150, window); // 1% of steels (the 400-token ones) may go; the validation records may not
    }

    [Fact]
    public void Window_is_never_shorter_than_the_presets()
    {
        var window = TrainingWindow.Choose(Examples("a", (10, 30)), [], new TrainingWindowRequest(null, Minimum: 144, ContextLength: 512));
        Assert.Equal(144, window);
    }

    [Fact]
    public void Requested_window_that_drops_more_than_one_percent_of_a_task_fails_naming_task_and_lengths()
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
    public void Requested_window_that_drops_a_validation_record_fails()
    {
        var train = Examples("ESOL", (100, 60));
        var validation = Examples("ESOL", (9, 60), (1, 97));

        var error = Assert.Throws<TrainingWindowException>(() =>
            TrainingWindow.Choose(train, validation, new TrainingWindowRequest(Requested: 96, Minimum: 64, ContextLength: 512)));

        Assert.Contains("1 of 10 validation records of task 'ESOL'", error.Message);
        Assert.Contains("60-97 tokens", error.Message);
    }

    [Fact]
    public void One_percent_of_a_task_may_be_dropped_with_a_requested_window()
    {
        var train = Examples("matbench_glass", (99, 50), (1, 300));
        Assert.Equal(64, TrainingWindow.Choose(train, [], new TrainingWindowRequest(Requested: 64, Minimum: 144, ContextLength: 512)));
    }

    [Fact]
    public void Data_that_needs_more_than_the_models_context_fails_naming_the_task()
    {
        var train = Examples("sii_mdp_pce", (100, 700));

        var error = Assert.Throws<TrainingWindowException>(() =>
            TrainingWindow.Choose(train, [], new TrainingWindowRequest(null, Minimum: 144, ContextLength: 512)));

        Assert.Contains("'sii_mdp_pce' needs a window of 700 tokens", error.Message);
        Assert.Contains("context of 512", error.Message);
    }
}

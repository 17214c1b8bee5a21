using System.CommandLine;
using DarwinGrid.Inference.Prediction;

namespace DarwinGrid.Silo.Cli;

/// <summary><c>--views N</c>: how many ways each candidate is asked (test-time averaging over instructions and spellings).</summary>
public static class ViewsOption
{
    public static Option<int> Create() => new("--views")
    {
        Description = $"Ask each candidate N ways (1..{PredictionOptions.MaxViews}) and pool the answers: view 0 is the usual prompt, the others " +
                      "rotate the task's paraphrased instructions and respell the formula in another element order. Regression pools the views' " +
                      "sampled numbers into one distribution (greedy: the median of the views' answers); classification averages the label probabilities.",
        DefaultValueFactory = _ => 1,
    };

    /// <summary>Refuses a count outside 1..16 with the option's name.</summary>
    public static int Check(int views) => views is >= 1 and <= PredictionOptions.MaxViews ? views
        : throw new ArgumentException($"--views must be between 1 and {PredictionOptions.MaxViews} (got {views}).");
}

using System.CommandLine;
using DarwinGrid.Domain.Predictions;

namespace DarwinGrid.Silo.Cli;

/// <summary><c>--estimate median|mean|greedy</c>: which number a regression prediction reports.</summary>
public static class EstimateOption
{
    public static Option<string> Create() => new("--estimate")
    {
        Description = $"Regression estimate: {NumericEstimates.Names}. median (default) and mean come from the model's distribution " +
                      "over the whole number (with a central interval); greedy is one constrained greedy decode (DARWIN's own evaluation).",
        DefaultValueFactory = _ => "median",
    };
}

namespace DarwinGrid.Evaluation.Loop;

/// <summary>How a virtual-lab run chooses each round's batch.</summary>
public enum LoopStrategy
{
    /// <summary>The acquisition rule over the model's distributions, with a diversity penalty; the model learns after every round.</summary>
    Loop,
    /// <summary>The best point estimates (medians) of the first screening; the model never learns.</summary>
    Greedy,
    /// <summary>A seeded random batch: the baseline any strategy must beat.</summary>
    Random,
}

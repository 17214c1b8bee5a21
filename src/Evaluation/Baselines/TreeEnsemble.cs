namespace DarwinGrid.Evaluation.Baselines;

/// <summary>Which ML.NET tree learner a Magpie baseline uses.</summary>
public enum TreeEnsemble
{
    /// <summary>FastTree gradient-boosted trees.</summary>
    GradientBoosted,
    /// <summary>FastForest random forest (the RF-SCM/Magpie comparator).</summary>
    RandomForest,
}

namespace DarwinGrid.Evaluation.Baselines;

/// <summary>
/// Fixed hyperparameters of the Magpie tree baselines, chosen before looking at any test fold
/// and never tuned on one. <see cref="GradientBoosted"/> is ML.NET's FastTree default;
/// <see cref="RandomForest"/> follows Matbench's RF-SCM/Magpie (scikit-learn, 500 trees grown
/// deep) as far as FastForest allows: leaves capped at 1000, at least 1 example per leaf, ML.NET's
/// default bagging and 70% feature fraction per tree, but 200 trees instead of 500 to fit the compute
/// budget (500 took about 250 s per matbench_expt_gap fold on one core; a forest's error changes
/// little past a few hundred trees). Binary forest probabilities are the mean tree vote.
/// </summary>
/// <param name="Trees">Number of trees.</param>
/// <param name="Leaves">Maximum leaves per tree.</param>
/// <param name="MinimumExamplesPerLeaf">Smallest leaf.</param>
/// <param name="LearningRate">Shrinkage (boosting only).</param>
/// <param name="Threads">1, so that training is deterministic and leaves the other core free.</param>
/// <param name="Seed">Seed of the learners' random choices (bagging, feature sampling).</param>
public sealed record TreeSettings(int Trees, int Leaves, int MinimumExamplesPerLeaf, double LearningRate, int Threads = 1, int Seed = 18012019)
{
    public static TreeSettings GradientBoosted { get; } = new(Trees: 100, Leaves: 20, MinimumExamplesPerLeaf: 10, LearningRate: 0.2);

    public static TreeSettings RandomForest { get; } = new(Trees: 200, Leaves: 1000, MinimumExamplesPerLeaf: 1, LearningRate: double.NaN);

    public static TreeSettings For(TreeEnsemble ensemble) =>
        ensemble == TreeEnsemble.GradientBoosted ? GradientBoosted : RandomForest;

    public override string ToString() =>
        double.IsNaN(LearningRate)
            ? $"{Trees} trees, <= {Leaves} leaves, >= {MinimumExamplesPerLeaf} per leaf, seed {Seed}"
            : $"{Trees} trees, <= {Leaves} leaves, >= {MinimumExamplesPerLeaf} per leaf, learning rate {LearningRate}, seed {Seed}";
}

using DarwinGrid.Training.Models;
using DarwinGrid.Training.Optimization;

namespace DarwinGrid.Training.Runs;

/// <summary>The named recipes of <c>darwin train --preset</c>.</summary>
public static class TrainingPresets
{
    /// <summary>The four Matbench tasks users rank candidates by.</summary>
    public static IReadOnlyList<string> MatbenchTasks { get; } =
        ["matbench_expt_gap", "matbench_is_metal", "matbench_glass", "matbench_steels"];

    /// <summary>
    /// Tasks left out of darwin-mini: their inputs (InChI, SELFIES, OPV SMILES, solar-cell schemas)
    /// are mostly longer than the training window, which is kept short because ggml's attention
    /// backward grows with the window squared. chembl's SMILES and IUPAC forms stay in.
    /// </summary>
    public static IReadOnlyList<string> LongInputTasks { get; } =
        ["chembl_lipophilicity_selfies", "chembl_lipophilicity_inchi", "nagasawa_opv_pce", "sii_mdp_pce"];

    private static readonly TrainerOptions MiniTrainer = new()
    {
        BatchRows = 8,
        WindowLength = 144,
        Layout = RecordLayout.Packed,
        AnswerSlotHeadroom = 1.25,
        LearningRate = 2e-3f,
        MinLearningRateFraction = 0.05f,
        WarmupSteps = 30,
        WeightDecay = 0.01f,
        Epochs = 16,
        EarlyStoppingPatience = 2,
        EarlyStoppingMinDelta = 1e-3f,
        MaxDuration = TimeSpan.FromMinutes(17),
        ProbeThreads = true,
    };

    private static readonly TrainerOptions TinyTrainer = new()
    {
        BatchRows = 4,
        WindowLength = 64,
        LearningRate = 2e-3f,
        WarmupSteps = 2,
        Epochs = 1,
    };

    public static TrainingPreset Mini { get; } = new()
    {
        Name = "mini",
        Description = "darwin-mini: a small LLaMA trained from scratch on CPU on the multi-task mixture (matbench emphasised), within 20 minutes on 2 cores.",
        EmbeddingLength = 128,
        BlockCount = 4,
        HeadCount = 4,
        HeadCountKv = 4,
        FeedForwardLength = 352,
        Trainer = MiniTrainer,
        Tasks = Domain.Tasks.TaskCatalog.All.Select(t => t.Name).Except(LongInputTasks).ToArray(),
        TaskWeights = MatbenchTasks.ToDictionary(t => t, _ => 4.0),
        ExamplesPerEpoch = 8_000,
        // The model starts out knowing which elements resemble each other (issue 15; docs/results.md).
        ElementEmbeddings = ElementEmbeddingInit.Magpie,
        // Stage 1 (when asked for with --stages qa,multitask): SciQAG answers are prose, ~100-200 tokens
        // with the built-in vocabulary, so the window is longer than the property records need.
        QaTrainer = MiniTrainer with
        {
            WindowLength = 192,
            Epochs = 1,
            // One pass: no early stopping (TrainerOptions' defaults).
            EarlyStoppingPatience = 0,
            EarlyStoppingMinDelta = 1e-4f,
            MaxDuration = TimeSpan.FromMinutes(4),
        },
    };

    /// <summary>A few-second recipe for tests and smoke runs: the same pipeline on a toy model.</summary>
    public static TrainingPreset Tiny { get; } = new()
    {
        Name = "tiny",
        Description = "A toy model for tests and smoke runs (seconds).",
        EmbeddingLength = 32,
        BlockCount = 1,
        HeadCount = 2,
        HeadCountKv = 2,
        FeedForwardLength = 64,
        // SciQAG pairs run to ~315 tokens with the built-in vocabulary: the QA window comes from the data.
        ContextLength = 512,
        Trainer = TinyTrainer,
        Tasks = ["matbench_expt_gap", "matbench_is_metal"],
        ExamplesPerEpoch = 64,
        // QA pairs run to ~100-200 tokens: a longer window than the property records need.
        QaTrainer = TinyTrainer with { WindowLength = 192 },
        QaExamplesPerEpoch = 64,
    };

    public static IReadOnlyList<TrainingPreset> All { get; } = [Mini, Tiny];

    public static TrainingPreset Get(string name) =>
        All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown training preset '{name}'. Known presets: {string.Join(", ", All.Select(p => p.Name))}.");
}

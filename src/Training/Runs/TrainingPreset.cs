using DarwinGrid.Domain.Prompts;
using DarwinGrid.Training.Models;
using DarwinGrid.Training.Optimization;

namespace DarwinGrid.Training.Runs;

/// <summary>
/// A model DarwinGrid trains from scratch: its shape (the vocabulary is always the built-in one),
/// the trainer settings and the stage-2 data mixture. Everything a run needs besides the data
/// folder, seed and fold is fixed here in code, so a preset name identifies a recipe.
/// </summary>
public sealed record TrainingPreset
{
    public required string Name { get; init; }

    public required string Description { get; init; }

    public required int EmbeddingLength { get; init; }

    public required int BlockCount { get; init; }

    public required int HeadCount { get; init; }

    public required int HeadCountKv { get; init; }

    public required int FeedForwardLength { get; init; }

    /// <summary>The model's context (what llama.cpp allows at inference); training uses <see cref="TrainerOptions.WindowLength"/>.</summary>
    public int ContextLength { get; init; } = 512;

    /// <summary>The stage-2 (multi-task) trainer settings.</summary>
    public required TrainerOptions Trainer { get; init; }

    /// <summary>The stage-1 (literature QA) trainer settings; null for <see cref="Trainer"/> with one epoch and no early stop.</summary>
    public TrainerOptions? QaTrainer { get; init; }

    /// <summary>QA pairs per epoch (a seeded slice of the shuffled pairs, the next slice each epoch); null for all of them.</summary>
    public int? QaExamplesPerEpoch { get; init; }

    /// <summary>The stages run when the command line names none.</summary>
    public IReadOnlyList<string> Stages { get; init; } = [TrainingStages.MultiTask];

    /// <summary>Stage-2 tasks (catalog names); null for every catalog task.</summary>
    public IReadOnlyList<string>? Tasks { get; init; }

    /// <summary>Sampling weights w_i per task (see <see cref="Data.MultiTaskOptions"/>); tasks not named get 1.</summary>
    public IReadOnlyDictionary<string, double> TaskWeights { get; init; } = new Dictionary<string, double>();

    /// <summary>Examples per mixture epoch (one validation and early-stopping interval); null for the number of training records.</summary>
    public int? ExamplesPerEpoch { get; init; }

    public IPromptFormat Format { get; init; } = DarwinAlpacaPromptFormat.Instance;

    /// <summary>How a new model's element-symbol token rows start (random like the rest, or from the Magpie properties).</summary>
    public ElementEmbeddingInit ElementEmbeddings { get; init; } = ElementEmbeddingInit.Random;

    /// <summary>Share of composition examples respelled during stage 2 (<see cref="Data.MultiTaskOptions.FormulaAugmentation"/>).</summary>
    public double FormulaAugmentation { get; init; }

    public LlamaHyperparameters Shape(int vocabularySize) =>
        new LlamaHyperparameters(vocabularySize, EmbeddingLength, BlockCount, HeadCount, HeadCountKv, FeedForwardLength, ContextLength).Validated();

    /// <summary>The longest example (prompt + answer, BOS and EOS) that is trained on; longer ones are dropped and counted.</summary>
    public int MaxExampleTokens => Trainer.WindowLength;

    public TrainerOptions TrainerFor(string stage) => stage switch
    {
        TrainingStages.Qa => QaTrainer ?? Trainer with { Epochs = 1, EarlyStoppingPatience = 0 },
        TrainingStages.MultiTask => Trainer,
        _ => throw new ArgumentException($"Unknown training stage '{stage}'."),
    };
}

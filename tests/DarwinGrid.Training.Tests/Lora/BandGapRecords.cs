using DarwinGrid.TestSupport;
using DarwinGrid.Training.Models;
using DarwinGrid.Training.Optimization;
using DarwinGrid.Training.Runs;
using DarwinGrid.Training.Tokenization;

namespace DarwinGrid.Training.Tests.Lora;

/// <summary>
/// Real matbench_expt_gap records (the tiny preset's window, built-in vocabulary) and a small random
/// base model over that vocabulary, built once for the LoRA trainer tests.
/// </summary>
public sealed class BandGapRecords
{
    public BandGapRecords()
    {
        var tokenizer = new DarwinTokenizer(BuiltInVocabulary.Create(SharedData.Root));
        var data = new TrainingDataSelection(TrainingPresets.Tiny) { Tasks = ["matbench_expt_gap"] }.Load(SharedData.Root, tokenizer);
        Tokenizer = tokenizer;
        var records = data.Epoch(0);
        Training = records.Take(384).ToArray();
        Validation = data.Validation.Take(96).ToArray();
        Shape = new LlamaHyperparameters(tokenizer.Vocabulary.Count, EmbeddingLength: 64, BlockCount: 2, HeadCount: 4, HeadCountKv: 2,
            FeedForwardLength: 128, ContextLength: 256);
        Base = new LlamaCheckpoint(Shape, LlamaGguf.Metadata(Shape, tokenizer.Vocabulary, "lora-test-base"), RandomLlamaModel.CreateWeights(Shape, seed: 11, std: 0.05f));
    }

    public DarwinTokenizer Tokenizer { get; }

    public IReadOnlyList<TrainingRecord> Training { get; }

    public IReadOnlyList<TrainingRecord> Validation { get; }

    public LlamaHyperparameters Shape { get; }

    public LlamaCheckpoint Base { get; }
}

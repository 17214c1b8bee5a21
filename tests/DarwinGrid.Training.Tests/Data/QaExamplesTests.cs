using DarwinGrid.Domain.Datasets;
using DarwinGrid.Domain.Prompts;
using DarwinGrid.TestSupport;
using DarwinGrid.Training.Data;

namespace DarwinGrid.Training.Tests.Data;

public sealed class QaExamplesTests
{
    private static readonly IReadOnlyList<QaRecord> Pairs = SciQagLoader.Load(SharedData.PathOf("sciqag", "sciqag_test_qas_8531.json")).Records;

    [Fact]
    public void EveryPairBecomesANoInputAlpacaRecordWithADarwinStyleAnswer()
    {
        var qa = QaDataset.Load(SharedData.Root);
        var all = qa.Train.Concat(qa.Validation).OrderBy(e => e.SourceRow).ToArray();
        Assert.Equal(Pairs.Count, all.Length);
        Assert.Equal(8531, Pairs.Count + qa.Skipped.Count);
        for (var i = 0; i < all.Length; i++)
        {
            var pair = Pairs[i];
            var example = all[i];
            Assert.Equal(pair.Index, example.SourceRow);
            Assert.Equal(QaExamples.TaskName, example.Task);
            Assert.Equal(ExampleKind.QuestionAnswer, example.Kind);
            Assert.Equal(
                "Below is an instruction that describes a task. Write a response that appropriately completes the request.\n\n" +
                $"### Instruction:\n{pair.Question}\n\n### Response:", example.Prompt);
            Assert.Equal(" " + pair.Answer + "\n", example.Response);
        }
    }

    [Fact]
    public void CompactFormatAsksTheBareQuestion()
    {
        var qa = QaDataset.Load(SharedData.Root, new QaDatasetOptions { Format = CompactPromptFormat.Instance });
        var example = qa.Train.First();
        Assert.Equal(Pairs.Single(p => p.Index == example.SourceRow).Question + "\n", example.Prompt);
    }

    [Fact]
    public void ValidationIsASeededDisjointSliceOfTheRequestedSize()
    {
        var a = QaDataset.Load(SharedData.Root, new QaDatasetOptions { Seed = 5, ValidationFraction = 0.1 });
        var b = QaDataset.Load(SharedData.Root, new QaDatasetOptions { Seed = 5, ValidationFraction = 0.1 });
        var c = QaDataset.Load(SharedData.Root, new QaDatasetOptions { Seed = 6, ValidationFraction = 0.1 });

        Assert.Equal((int)Math.Round(0.1 * Pairs.Count), a.Validation.Count);
        Assert.Empty(a.Train.Select(e => e.SourceRow).Intersect(a.Validation.Select(e => e.SourceRow)));
        Assert.Equal(a.Validation.Select(e => e.SourceRow), b.Validation.Select(e => e.SourceRow));
        Assert.NotEqual(a.Validation.Select(e => e.SourceRow), c.Validation.Select(e => e.SourceRow));
    }

    [Fact]
    public void EpochsAreSeededShufflesOfTheTrainingPairs()
    {
        var qa = QaDataset.Load(SharedData.Root);
        var first = qa.Epoch(0);
        var again = QaDataset.Load(SharedData.Root).Epoch(0);
        var second = qa.Epoch(1);

        Assert.Equal(first, again);
        Assert.NotEqual(first.Select(e => e.SourceRow), second.Select(e => e.SourceRow));
        Assert.Equal(qa.Train.Select(e => e.SourceRow).Order(), second.Select(e => e.SourceRow).Order());
    }
}

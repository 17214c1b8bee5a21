using DarwinGrid.Domain.Prompts;
using DarwinGrid.TestSupport;
using DarwinGrid.Training.Data;
using DarwinGrid.Training.Runs;
using DarwinGrid.Training.Tests.Tokenization;

namespace DarwinGrid.Training.Tests.Runs;

/// <summary>Stage 1's trainer records: DARWIN's no-input template, encoded as inference encodes it, in seeded per-epoch slices.</summary>
[Collection(BuiltInVocabularyCollection.Name)]
public sealed class QaRecordsTests(BuiltInVocabularyFixture vocabulary)
{
    private static readonly QaDataset Qa = QaDataset.Load(SharedData.Root);

    [Fact]
    public void ARecordIsTheQuestionInDarwinsNoInputTemplateThenTheAnswerAndEos()
    {
        var records = new QaRecords(Qa, vocabulary.Tokenizer, maxTokens: 4096, examplesPerEpoch: null);
        var example = Qa.Epoch(0)[0];
        var record = records.Epoch(0)[0];
        Assert.StartsWith(DarwinAlpacaPromptFormat.NoInputHeader + "### Instruction:\n", example.Prompt);
        Assert.EndsWith("\n\n### Response:", example.Prompt);
        Assert.Equal(vocabulary.Tokenizer.Encode(example.Prompt, addBos: true), record.PromptTokens);
        Assert.Equal([.. vocabulary.Tokenizer.EncodeContinuation(example.Response), vocabulary.Tokenizer.EosId], record.ResponseTokens);
        Assert.Equal(Qa.Train.Count, records.Epoch(0).Count);
    }

    [Fact]
    public void CappedEpochsAreSuccessiveSlicesOfTheSeededPassesAndLongPairsAreDroppedAndCounted()
    {
        var records = new QaRecords(Qa, vocabulary.Tokenizer, maxTokens: 96, examplesPerEpoch: 500);
        var first = records.Epoch(0);
        var second = records.Epoch(1);
        Assert.True(first.Count < 500 && first.Count + records.DroppedPerEpoch[0] == 500);
        Assert.True(second.Count + records.DroppedPerEpoch[1] == 500);
        Assert.All(first.Concat(second), r => Assert.True(r.Length <= 96));
        // Different pairs in each epoch, the same ones when asked again.
        Assert.Empty(first.Select(r => string.Join(' ', r.PromptTokens)).Intersect(second.Select(r => string.Join(' ', r.PromptTokens))));
        Assert.Equal(first.Select(r => r.PromptTokens), new QaRecords(Qa, vocabulary.Tokenizer, 96, 500).Epoch(0).Select(r => r.PromptTokens));

        var manifest = records.Manifest(vocabulary.Vocabulary);
        Assert.Equal("qa", manifest.Stage);
        Assert.Equal(500, manifest.ExamplesPerEpoch);
        Assert.Equal(records.DroppedPerEpoch[0], manifest.Tokenization!.Dropped);
    }
}

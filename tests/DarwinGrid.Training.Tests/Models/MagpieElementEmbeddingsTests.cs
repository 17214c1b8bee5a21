using DarwinGrid.Domain.Magpie;
using DarwinGrid.TestSupport;
using DarwinGrid.Training.Models;
using DarwinGrid.Training.Runs;
using DarwinGrid.Training.Tests.Tokenization;
using DarwinGrid.Training.Tokenization;

namespace DarwinGrid.Training.Tests.Models;

[Collection(BuiltInVocabularyCollection.Name)]
public sealed class MagpieElementEmbeddingsTests(BuiltInVocabularyFixture fixture)
{
    private const int Width = 128;
    private static readonly MagpieTables Tables = MagpieTables.Load(Path.Combine(SharedData.Root, MagpieElementEmbeddings.DataFolder));

    private Vocabulary Vocabulary => fixture.Vocabulary;

    private (float[] Rows, IReadOnlyList<int> Written) Embed(int seed)
    {
        var shape = new LlamaHyperparameters(Vocabulary.Count, Width, BlockCount: 1, HeadCount: 4, HeadCountKv: 4, FeedForwardLength: 64);
        var rows = RandomLlamaModel.CreateWeights(shape, seed)[LlamaTensorLayout.TokenEmbedding];
        var written = MagpieElementEmbeddings.Write(rows, Width, Vocabulary, Tables, seed);
        return (rows, written);
    }

    private int Id(string piece) => Vocabulary.Pieces.Select((p, i) => (p.Piece, i)).Single(p => p.Piece == piece).i;

    private static double Distance(float[] rows, int a, int b)
    {
        var sum = 0.0;
        for (var j = 0; j < Width; j++)
        {
            var d = rows[a * Width + j] - rows[b * Width + j];
            sum += d * d;
        }
        return Math.Sqrt(sum);
    }

    [Theory]
    [InlineData("Na", "K", "Cl")]
    [InlineData("Cl", "Br", "Cs")]
    [InlineData("Fe", "Co", "F")]
    [InlineData("O", "S", "Ba")]
    [InlineData("Ti", "Zr", "I")]
    public void ElementRowsAreCloserForChemicallySimilarElements(string element, string similar, string dissimilar)
    {
        var (rows, _) = Embed(seed: 1);
        Assert.True(Distance(rows, Id(element), Id(similar)) < 0.6 * Distance(rows, Id(element), Id(dissimilar)),
            $"|{element}-{similar}| = {Distance(rows, Id(element), Id(similar)):F4}, |{element}-{dissimilar}| = {Distance(rows, Id(element), Id(dissimilar)):F4}");
    }

    [Fact]
    public void OnlyTheElementSymbolRowsChangeAndTheyKeepTheRandomRowsSpread()
    {
        var shape = new LlamaHyperparameters(Vocabulary.Count, Width, BlockCount: 1, HeadCount: 4, HeadCountKv: 4, FeedForwardLength: 64);
        var random = RandomLlamaModel.CreateWeights(shape, seed: 1)[LlamaTensorLayout.TokenEmbedding];
        var (rows, written) = Embed(seed: 1);

        Assert.Contains(Id("Fe"), written);
        Assert.Contains(Id("O"), written);
        Assert.True(written.Count >= 90, $"only {written.Count} element rows written");
        Assert.All(written, id => Assert.True(Domain.Elements.PeriodicTable.TryGetBySymbol(Vocabulary.Pieces[id].Piece, out _)));
        var changed = written.ToHashSet();
        for (var id = 0; id < Vocabulary.Count; id++)
        {
            var same = rows.AsSpan(id * Width, Width).SequenceEqual(random.AsSpan(id * Width, Width));
            Assert.True(changed.Contains(id) ? !same : same, $"row {id} '{Vocabulary.Pieces[id].Piece}'");
        }
        var elementSpread = Math.Sqrt(written.SelectMany(id => rows.Skip(id * Width).Take(Width)).Average(v => (double)v * v));
        Assert.InRange(elementSpread, 0.01, 0.04);
    }

    [Fact]
    public void TheSameSeedGivesTheSameRowsAndAnotherSeedAnotherProjection()
    {
        Assert.Equal(Embed(seed: 3).Rows, Embed(seed: 3).Rows);
        var fe = Id("Fe");
        Assert.False(Embed(seed: 3).Rows.AsSpan(fe * Width, Width).SequenceEqual(Embed(seed: 4).Rows.AsSpan(fe * Width, Width)));
    }

    [Fact]
    public void ANewModelOfAPresetWithMagpieInitStartsWithTheMagpieElementRowsAndNothingElseChanged()
    {
        var tiny = TrainingPresets.Tiny;
        var plain = BaseModel.Load(TrainingBase.New(tiny), tiny, "m", SharedData.Root, seed: 1).Checkpoint.Weights;
        var magpie = BaseModel.Load(TrainingBase.New(tiny), tiny with { ElementEmbeddings = ElementEmbeddingInit.Magpie }, "m", SharedData.Root, seed: 1).Checkpoint.Weights;
        var width = tiny.EmbeddingLength;
        var embedding = LlamaTensorLayout.TokenEmbedding;
        Assert.False(plain[embedding].AsSpan(Id("Fe") * width, width).SequenceEqual(magpie[embedding].AsSpan(Id("Fe") * width, width)));
        Assert.True(plain[embedding].AsSpan(Id("▁band") * width, width).SequenceEqual(magpie[embedding].AsSpan(Id("▁band") * width, width)));
        Assert.All(plain.Keys.Where(k => k != embedding), k => Assert.Equal(plain[k], magpie[k]));
    }

    [Fact]
    public void ATokenEmbeddingOfTheWrongSizeIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => MagpieElementEmbeddings.Write(new float[10], Width, Vocabulary, Tables, seed: 1));
        Assert.Contains("token_embd", error.Message);
    }
}

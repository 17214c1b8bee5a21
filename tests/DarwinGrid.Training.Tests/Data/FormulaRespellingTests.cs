using DarwinGrid.Domain.Compositions;
using DarwinGrid.Domain.Datasets;
using DarwinGrid.Domain.Randomness;
using DarwinGrid.Domain.Tasks;
using DarwinGrid.TestSupport;
using DarwinGrid.Training.Data;

namespace DarwinGrid.Training.Tests.Data;

public sealed class FormulaRespellingTests
{
    private static readonly string[] Tasks = ["matbench_expt_gap", "matbench_is_metal", "matbench_steels"];

    private static MultiTaskMixture Load(double augmentation) =>
        MultiTaskMixture.Load(SharedData.Root, new MultiTaskOptions
        {
            Tasks = Tasks, Fold = new FoldSelection(0), ExamplesPerEpoch = 1500, FormulaAugmentation = augmentation,
        });

    [Theory]
    [InlineData("Fe2O3")]
    [InlineData("Ag2BBr")]
    [InlineData("Ag0.5Ge1Pb1.75S4")]
    [InlineData("Fe0.620C0.000953Mn0.000521Si0.00102Cr0.000110Ni0.192Mo0.0176Co0.146Al0.00318Ti0.0185")]
    public void RespellingKeepsTheCompositionAndChangesTheSpelling(string formula)
    {
        var random = SplitMix64Random.Stream(1, "test");
        var spellings = Enumerable.Range(0, 20).Select(_ => FormulaRespelling.Respell(formula, random)).ToArray();
        var original = CompositionParser.Parse(formula).CanonicalFormula;
        Assert.All(spellings, s => Assert.Equal(original, CompositionParser.Parse(s).CanonicalFormula));
        Assert.Contains(spellings, s => s != formula);
    }

    [Theory]
    [InlineData("Ag(W3Br7)2")]
    [InlineData("CaCl2.H2O")]
    [InlineData("CuSO4·5H2O")]
    [InlineData("Si")]
    [InlineData("not a formula")]
    public void FormulasThatAreNotFlatOrHaveOneElementAreLeftAsTheyAre(string text)
    {
        Assert.Equal(text, FormulaRespelling.Respell(text, SplitMix64Random.Stream(1, "test")));
    }

    [Fact]
    public void AnAugmentedMixtureHasTheSameRecordsAndAnswersInOtherSpellings()
    {
        var plain = Load(0).Epoch(0);
        var augmented = Load(1).Epoch(0);
        Assert.Equal(plain.Count, augmented.Count);
        var respelled = 0;
        for (var i = 0; i < plain.Count; i++)
        {
            var (a, b) = (plain[i], augmented[i]);
            Assert.Equal((a.Task, a.Kind, a.SourceRow), (b.Task, b.Kind, b.SourceRow));
            if (a.Kind != ExampleKind.Record) continue;
            var inputA = PromptText.InputOf(a.Prompt)!;
            var inputB = PromptText.InputOf(b.Prompt)!;
            Assert.Equal(CompositionParser.Parse(inputA).CanonicalFormula, CompositionParser.Parse(inputB).CanonicalFormula);
            var answer = TaskCatalog.Get(a.Task).Answer;
            Assert.Equal(answer.Parse(a.Response).Value, answer.Parse(b.Response).Value);
            if (inputA != inputB)
            {
                respelled++;
                // An answer that echoes the formula echoes the new spelling.
                Assert.DoesNotContain(inputA, b.Response.Replace(inputB, "", StringComparison.Ordinal), StringComparison.Ordinal);
            }
        }
        Assert.True(respelled > plain.Count / 2, $"only {respelled} of {plain.Count} examples respelled");
    }

    [Fact]
    public void ValidationRecordsAreNeverRespelled()
    {
        Assert.Equal(Load(0).Validation(), Load(1).Validation());
    }

    [Fact]
    public void AnAugmentationShareOutsideZeroToOneIsRefused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new MultiTaskOptions { FormulaAugmentation = 1.5 }.Validated());
        Assert.Contains(nameof(MultiTaskOptions.FormulaAugmentation), error.Message);
    }
}

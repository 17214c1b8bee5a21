using DarwinGrid.Domain.Tasks;
using DarwinGrid.Evaluation.Harness;
using DarwinGrid.Evaluation.LanguageModels;
using DarwinGrid.Evaluation.Models;

namespace DarwinGrid.Evaluation.Tests.LanguageModels;

/// <summary>
/// Issue 18: one reading of a language model's answer for 'darwin eval --model llm:...' and the training
/// grain's held-out fold (they had diverged: the grain dropped intervals, eval threw on a missing class).
/// </summary>
public sealed class LanguageModelAnswerTests
{
    private static readonly PropertyTask Gap = TaskCatalog.Get("matbench_expt_gap");
    private static readonly PropertyTask Metal = TaskCatalog.Get("matbench_is_metal");

    [Fact]
    public void ARegressionAnswerKeepsItsNumberAndInterval()
    {
        var output = LanguageModelAnswer.ToOutput(Gap, null, 1.51, 1.2, 1.9, null, " 1.51");
        Assert.Equal((1.51, 1.2, 1.9), (output.Value, output.Low, output.High));
        Assert.False(output.IsFailure);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void ANumberThatIsNotFiniteIsAFailureQuotingTheAnswer(double value)
    {
        var output = LanguageModelAnswer.ToOutput(Gap, null, value, null, null, null, " 1e999");
        Assert.Equal("no number in ' 1e999'", output.Error);
    }

    [Fact]
    public void AnErrorStaysTheFailure()
    {
        var output = LanguageModelAnswer.ToOutput(Gap, "input rejected", 2.0, null, null, null, "");
        Assert.Equal("input rejected", output.Error);
    }

    [Fact]
    public void AClassAnswerGivesTheProbabilitiesInTheTasksClassOrder()
    {
        var probabilities = Metal.Classes.Select((c, i) => (c.Name, P: i == 0 ? 0.3 : 0.7)).ToDictionary(x => x.Name, x => x.P);
        var output = LanguageModelAnswer.ToOutput(Metal, null, null, null, null, probabilities, " True");
        Assert.Equal([0.3, 0.7], output.ClassScores);
    }

    [Fact]
    public void AClassAnswerWithoutEveryClassIsAFailureTheHarnessScoresAsTheDummys()
    {
        var output = LanguageModelAnswer.ToOutput(Metal, null, null, null, null, new Dictionary<string, double> { [Metal.Classes[0].Name] = 1.0 }, " maybe");
        Assert.StartsWith("no probability for every class of matbench_is_metal", output.Error);

        var record = TestModels.Records(Metal)[0];
        var fallback = ModelOutput.Classes([0.5, 0.5]);
        var row = Assert.Single(CrossValidation.Rows(Metal, [record], [output], fallback));
        Assert.True(row.Failed);
        Assert.Same(fallback, row.Scored);
    }
}

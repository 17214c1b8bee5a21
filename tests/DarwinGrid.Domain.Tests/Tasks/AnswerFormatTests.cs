using DarwinGrid.Domain.Tasks;

namespace DarwinGrid.Domain.Tests.Tasks;

public class AnswerFormatTests
{
    private static readonly PropertyTask Gap = TaskCatalog.Get("matbench_expt_gap");
    private static readonly PropertyTask Metal = TaskCatalog.Get("matbench_is_metal");
    private static readonly PropertyTask Pei = TaskCatalog.Get("pei_phase");
    private static readonly PropertyTask Water = TaskCatalog.Get("water_stability");
    private static readonly PropertyTask Sii = TaskCatalog.Get("sii_mdp_pce");

    [Theory]
    [InlineData(" 1.51\n", 1.51)]
    [InlineData("1.51", 1.51)]
    [InlineData(" -1.2e-3\n", -1.2e-3)]
    [InlineData(" +2", 2.0)]
    [InlineData(" .5", 0.5)]
    [InlineData(" 5.888436553555884e-05 mol/L\n", 5.888436553555884e-05)]
    [InlineData(" 1.51 eV", 1.51)]
    [InlineData(" 3.", 3.0)]
    [InlineData(" 0.5.", 0.5)]
    public void NumbersAreRead(string text, double expected) =>
        Assert.Equal(expected, Gap.Answer.Parse(text).GetValueOrThrow().AsNumber());

    [Theory]
    [InlineData("", AnswerParseFailure.Empty)]
    [InlineData("  \n", AnswerParseFailure.Empty)]
    [InlineData(" abc\n", AnswerParseFailure.NotANumber)]
    [InlineData(" 1.2.3", AnswerParseFailure.NotANumber)]
    [InlineData(" 1.51eV", AnswerParseFailure.NotANumber)]
    [InlineData(" about 2 eV", AnswerParseFailure.NotANumber)]
    [InlineData(" 1e999", AnswerParseFailure.NotANumber)]
    [InlineData(" Unable to answer due to lack of conditions.\n", AnswerParseFailure.Refusal)]
    [InlineData(" wallet is not a composition and it does not have yield strength.\n", AnswerParseFailure.Refusal)]
    public void UnreadableNumbersFailWithAReasonNeverZero(string text, AnswerParseFailure failure)
    {
        var parsed = Gap.Answer.Parse(text);
        Assert.False(parsed.Succeeded);
        Assert.Null(parsed.Value);
        Assert.Equal(failure, parsed.Failure);
        Assert.False(string.IsNullOrEmpty(parsed.Error));
        Assert.Throws<FormatException>(() => parsed.GetValueOrThrow());
    }

    [Theory]
    [InlineData(" Yes, In5AgTe8 is metal.\n", true)]
    [InlineData(" No, In5AgTe8 is not metal.\n", false)]
    [InlineData("yes", true)]
    [InlineData("NO.", false)]
    public void YesNoAnswersAreRead(string text, bool expected) =>
        Assert.Equal(expected ? 1 : 0, Metal.Answer.Parse(text).GetValueOrThrow().AsClassIndex());

    [Theory]
    [InlineData(" price is not a composition and it is not metal.\n", AnswerParseFailure.Refusal)]
    [InlineData(" Maybe\n", AnswerParseFailure.UnknownClass)]
    [InlineData(" Yesterday it was.\n", AnswerParseFailure.UnknownClass)]
    public void OtherBinaryAnswersFail(string text, AnswerParseFailure failure) =>
        Assert.Equal(failure, Metal.Answer.Parse(text).Failure);

    [Theory]
    [InlineData(" fcc\n", "fcc")]
    [InlineData(" multi-phase\n", "multi-phase")]
    [InlineData("HCP", "hcp")]
    public void PeiClassesAreRead(string text, string expected) =>
        Assert.Equal(expected, Pei.Answer.Parse(text).GetValueOrThrow().ToString());

    [Theory]
    [InlineData(" multi\n")]
    [InlineData(" fccx\n")]
    [InlineData(" bcc-like\n")]
    public void PeiNearMissesFail(string text) =>
        Assert.Equal(AnswerParseFailure.UnknownClass, Pei.Answer.Parse(text).Failure);

    [Theory]
    [InlineData("  It has high water stability with low confidence.\n", "high")]
    [InlineData("  It has low water stability with high confidence.\n", "low")]
    [InlineData(" low", "low")]
    public void WaterStabilityIsReadFromDARWINsSentence(string text, string expected) =>
        Assert.Equal(expected, Water.Answer.Parse(text).GetValueOrThrow().ToString());

    [Fact]
    public void WaterStabilityAnswerRepeatsTheConfidenceAndNeedsIt()
    {
        var high = ((ClassAnswer)Water.Answer).ClassNamed("high");
        Assert.Equal("  It has high water stability with medium confidence.\n", Water.Answer.Format("MOF-5", high, "medium"));
        Assert.Throws<ArgumentException>(() => Water.Answer.Format("MOF-5", high));
    }

    [Fact]
    public void SiiMdpReadsThePCELineOfDARWINsOutput()
    {
        const string output = " JV default Voc: 1.21 \n JV default Jsc: 15.8 \n JV default FF: 0.779 \n JV default PCE: 14.9@@@";
        Assert.Equal(14.9, Sii.Answer.Parse(output).GetValueOrThrow().AsNumber());
        Assert.Equal(AnswerParseFailure.NotANumber, Sii.Answer.Parse(" JV default Voc: 1.21").Failure);
        Assert.Equal(" JV default PCE: 14.9@@@", Sii.Answer.Format("", new TargetValue.Number(14.9)));
    }

    public static TheoryData<string> AllTasks() => new(TaskCatalog.All.Select(t => t.Name));

    [Theory]
    [MemberData(nameof(AllTasks))]
    public void FormattingThenParsingRoundTrips(string name)
    {
        var task = TaskCatalog.Get(name);
        IEnumerable<TargetValue> targets = task.Kind == TaskKind.Regression
            ? new[] { 0.0, 1.51, -3.04, 2411.5, 5.888436553555884e-05, -1.2e-3, 1e20 }.Select(v => new TargetValue.Number(v))
            : task.Classes.Select((c, i) => new TargetValue.Class(i, c.Name));
        foreach (var target in targets)
        {
            var text = task.Answer.Format("Ag2BBr", target, "high");
            Assert.StartsWith(" ", text);
            Assert.Equal(target, task.Answer.Parse(text).GetValueOrThrow());
        }
    }

    [Theory]
    [MemberData(nameof(AllTasks))]
    public void ClassAnswersStartWithCommonPrefixAndOption(string name)
    {
        if (TaskCatalog.Get(name).Answer is not ClassAnswer answer)
            return;
        Assert.All(answer.Classes, c =>
        {
            Assert.StartsWith(" ", c.Option);
            Assert.StartsWith(answer.CommonPrefix + c.Option, answer.Format("X", new TargetValue.Class(answer.Classes.ToList().IndexOf(c), c.Name), "low"));
        });
    }

    [Fact]
    public void ScoredOptionsAreDARWINsFirstAnswerWords()
    {
        Assert.Equal([" No", " Yes"], Metal.Classes.Select(c => c.Option));
        Assert.Equal([" fcc", " bcc", " hcp", " multi-phase"], Pei.Classes.Select(c => c.Option));
        Assert.Equal("  It has", ((ClassAnswer)Water.Answer).CommonPrefix);
    }
}

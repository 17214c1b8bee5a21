using DarwinGrid.Domain.Datasets;
using DarwinGrid.Domain.Prompts;
using DarwinGrid.Domain.Tasks;
using DarwinGrid.TestSupport;

namespace DarwinGrid.Domain.Tests.Tasks;

/// <summary>
/// The catalog's instructions, answer formats and distractors are checked against DARWIN's own
/// instruction JSON: we must write exactly what DARWIN trained on.
/// </summary>
public class CatalogAgainstDarwinJsonTests
{
    public static TheoryData<string> TasksWithDarwinJson() => new(TaskCatalog.All
        .Where(t => t.InstructionOrigin == InstructionOrigin.DarwinJson && t.Source is CsvTaskSource)
        .Select(t => t.Name));

    private static IReadOnlyList<InstructionRecord> DarwinJson(PropertyTask task) =>
        InstructionJsonReader.Read(SharedData.PathOf(task.DarwinInstructionFile!.Split('/')));

    [Theory]
    [MemberData(nameof(TasksWithDarwinJson))]
    public void EveryInstructionIsOneDARWINUsed(string name)
    {
        var task = TaskCatalog.Get(name);
        var used = DarwinJson(task).Select(r => r.Instruction).ToHashSet();
        Assert.All(task.Instructions, i => Assert.Contains(i, used));
        Assert.Equal(task.Instructions.Count, task.Instructions.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(TasksWithDarwinJson))]
    public void AnswersAndInputsAreWrittenExactlyAsDARWINWroteThem(string name)
    {
        var task = TaskCatalog.Get(name);
        var byInput = TaskDatasetLoader.Load(task, SharedData.Root).Records.ToLookup(r => r.Input);
        var instructions = task.Instructions.ToHashSet();
        int compared = 0, exact = 0;
        foreach (var darwin in DarwinJson(task).Where(r => instructions.Contains(r.Instruction)))
        {
            var candidates = byInput[darwin.Input.Trim()].ToList();
            if (candidates.Count == 0)
                continue; // a distractor noun, or a composition withheld from our copy
            // DARWIN echoes "glass formation" when the question says so; we always write "glass-forming".
            if (darwin.Output.Contains("glass formation", StringComparison.Ordinal))
                continue;
            compared++;
            Assert.Contains(darwin.Input, candidates.Select(r => task.DarwinInput(r.Input)));
            var parsed = task.Answer.Parse(darwin.Output).GetValueOrThrow();
            if (candidates.Select(r => TaskPrompts.Answer(task, r)).Contains(darwin.Output))
            {
                exact++;
                continue;
            }
            // ESOL.json carries float noise from DARWIN's converter (" -4.4110000000000005" for CSV -4.411);
            // we write the CSV value. Anything else must be the same number.
            Assert.Equal(TaskKind.Regression, task.Kind);
            Assert.Contains(candidates, r => Math.Abs(r.Target.AsNumber() - parsed.AsNumber()) <= 1e-9 * Math.Max(1, Math.Abs(parsed.AsNumber())));
        }
        Assert.True(compared > 0.5 * byInput.Count, $"only {compared} DARWIN records matched our rows");
        Assert.True(exact >= 0.9 * compared, $"only {exact} of {compared} answers match DARWIN's text exactly");
    }

    [Theory]
    [MemberData(nameof(TasksWithDarwinJson))]
    public void DistractorsAreAsInTheJSONAndParseAsRefusals(string name)
    {
        var task = TaskCatalog.Get(name);
        if (task.Distractors is null)
            return;
        var records = DarwinJson(task);
        foreach (var refusal in task.Distractors.RefusalAnswers)
        {
            var match = records.FirstOrDefault(r => r.Output == refusal.Replace("{input}", r.Input.Trim(), StringComparison.Ordinal));
            Assert.True(match is not null, $"refusal '{refusal}' not found in {task.DarwinInstructionFile}");
            var parsed = task.Answer.Parse(match.Output);
            Assert.False(parsed.Succeeded);
            Assert.Equal(AnswerParseFailure.Refusal, parsed.Failure);
        }
        var instructions = records.Select(r => r.Instruction).ToHashSet();
        Assert.All(task.Distractors.UnconditionedInstructions, i => Assert.Contains(i, instructions));
    }

    [Fact]
    public void OnlyMatbenchExptGapWritesInputsWithoutTheLeadingSpace()
    {
        Assert.Equal(["matbench_expt_gap"], TaskCatalog.All.Where(t => !t.InputLeadingSpace).Select(t => t.Name));
        Assert.Equal("Ag(W3Br7)2\n", TaskCatalog.Get("matbench_expt_gap").DarwinInput("Ag(W3Br7)2"));
        Assert.Equal(" In5AgTe8\n", TaskCatalog.Get("matbench_is_metal").DarwinInput("In5AgTe8"));
    }

    [Fact]
    public void JsonSourcedRecordsKeepDARWINsTextAsTheTrainingAnswer()
    {
        var task = TaskCatalog.Get("sii_mdp_pce");
        var record = TaskDatasetLoader.Load(task, SharedData.Root).Records[5];
        Assert.Equal(" JV default Voc: 0.21\n JV default Jsc: 27.67\n JV default FF: 0.29\n JV default PCE: 1.66@@@",
            TaskPrompts.Answer(task, record));
        Assert.Equal(1.66, record.Target.AsNumber());
    }
}

using DarwinGrid.Domain.Datasets;
using DarwinGrid.Domain.Prompts;
using DarwinGrid.Domain.Tasks;
using DarwinGrid.TestSupport;

namespace DarwinGrid.Domain.Tests.Prompts;

/// <summary>Golden prompts, byte for byte: a DARWIN GGUF must see its train.py layout exactly.</summary>
public class PromptFormatTests
{
    private static readonly IPromptFormat Darwin = DarwinAlpacaPromptFormat.Instance;
    private static readonly IPromptFormat Compact = CompactPromptFormat.Instance;

    [Fact]
    public void DarwinPromptWithInputIsAlpacasPromptInput()
    {
        const string expected =
            "Below is an instruction that describes a task, paired with an input that provides further context. " +
            "Write a response that appropriately completes the request.\n\n" +
            "### Instruction:\nIs given composition metal? ->\n\n" +
            "### Input:\n In5AgTe8\n\n\n" +
            "### Response:";
        Assert.Equal(expected, Darwin.Complete("Is given composition metal? ->", " In5AgTe8\n"));
    }

    [Fact]
    public void DarwinPromptWithoutInputIsAlpacasPromptNoInput()
    {
        const string instruction = "what is the power conversion efficiency of organic solar cells with donor : CCO, and Acceptors: PC61BM? ->";
        const string expected =
            "Below is an instruction that describes a task. " +
            "Write a response that appropriately completes the request.\n\n" +
            "### Instruction:\n" + instruction + "\n\n" +
            "### Response:";
        Assert.Equal(expected, Darwin.Complete(instruction, ""));
    }

    [Fact]
    public void DarwinPrefixIsEverythingBeforeTheInput()
    {
        const string instruction = "Tell me band gap of given composition. ->";
        Assert.Equal(
            "Below is an instruction that describes a task, paired with an input that provides further context. " +
            "Write a response that appropriately completes the request.\n\n### Instruction:\nTell me band gap of given composition. ->\n\n### Input:\n",
            Darwin.Prefix(instruction));
        Assert.Equal(Darwin.Prefix(instruction) + "Ag2BBr\n" + "\n\n### Response:", Darwin.Complete(instruction, "Ag2BBr\n"));
    }

    [Fact]
    public void CompactPromptIsInstructionSpaceInputNewline()
    {
        Assert.Equal("Tell me band gap of given composition. -> Ag2BBr\n", Compact.Complete("Tell me band gap of given composition. ->", "Ag2BBr"));
        Assert.Equal("Tell me band gap of given composition. -> Ag2BBr\n", Compact.Complete("Tell me band gap of given composition. ->", " Ag2BBr\n"));
        Assert.Equal("Tell me band gap of given composition. -> ", Compact.Prefix("Tell me band gap of given composition. ->"));
        Assert.Equal("Design a donor. ->\n", Compact.Complete("Design a donor. ->", ""));
    }

    [Theory]
    [InlineData("darwin")]
    [InlineData("compact")]
    public void PrefixStartsEveryPromptWithAnInput(string format)
    {
        var f = PromptFormats.Get(format);
        foreach (var task in TaskCatalog.All.Where(t => t.Input != InputField.DonorAcceptorInInstruction))
        foreach (var instruction in task.Instructions)
            Assert.StartsWith(f.Prefix(instruction), f.Complete(instruction, task.DarwinInput("NaCl")));
    }

    [Fact]
    public void TrainingPairForACsvRecordReproducesDARWINsExample()
    {
        // matbench_expt_gap.json: {"instruction": "Tell me band gap of given composition. ->", "input": "Ag0.5Ge1Pb1.75Se4\n", "output": " 1.51\n"}
        var task = TaskCatalog.Get("matbench_expt_gap");
        var record = TaskDatasetLoader.Load(task, SharedData.Root).Records.Single(r => r.Input == "Ag0.5Ge1Pb1.75Se4");
        var prompt = TaskPrompts.ForRecord(Darwin, task, record, instructionIndex: 2);
        Assert.EndsWith("### Instruction:\nTell me band gap of given composition. ->\n\n### Input:\nAg0.5Ge1Pb1.75Se4\n\n\n### Response:", prompt);
        Assert.Equal(" 1.51\n", TaskPrompts.Answer(task, record));
    }

    [Fact]
    public void CandidatePromptsNeedAValidInstructionAndAnInputField()
    {
        var task = TaskCatalog.Get("pei_phase");
        Assert.Throws<ArgumentOutOfRangeException>(() => TaskPrompts.ForCandidate(Darwin, task, "Ni0.9V0.1", instructionIndex: 3));
        Assert.Throws<InvalidOperationException>(() => TaskPrompts.ForCandidate(Darwin, TaskCatalog.Get("opv_pce"), "CCO"));
        Assert.Throws<KeyNotFoundException>(() => PromptFormats.Get("chatml"));
    }
}

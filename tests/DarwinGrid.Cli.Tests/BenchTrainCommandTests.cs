using System.CommandLine;
using DarwinGrid.Silo.Cli;
using DarwinGrid.TestSupport;

namespace DarwinGrid.Cli.Tests;

public sealed class BenchTrainCommandTests
{
    [Fact]
    public void BenchTrainMeasuresAPresetOnItsRealMixtureRecordsWithTheBuiltInVocabulary()
    {
        var output = new StringWriter();
        var exitCode = DarwinCommandLine.Build()
            .Parse(["bench", "train", "--preset", "tiny", "--steps", "3", "--threads", "1", "--data-dir", SharedData.Root])
            .Invoke(new InvocationConfiguration { Output = output });
        var text = output.ToString();
        Assert.True(exitCode == 0, text);
        var vocabulary = DarwinGrid.Training.Tokenization.BuiltInVocabulary.Create(SharedData.Root).Count;
        Assert.Contains($"vocabulary {vocabulary} built-in", text);
        Assert.Contains("preset tiny, darwin format, 2 tasks, 64 records of epoch 0", text);
        Assert.Matches(@"steps: 3 in", text);
        Assert.Matches(@"tokens/s \(all weights, fwd\+bwd\+AdamW\): median \d+", text);
        Assert.Matches(@"peak working set: \d+ MiB", text);
    }

    [Fact]
    public void BenchTrainCanMeasureLoraTrainingAndRejectsUnknownTargets()
    {
        var output = new StringWriter();
        var exitCode = DarwinCommandLine.Build()
            .Parse(["bench", "train", "--preset", "tiny", "--steps", "3", "--threads", "1", "--lora-rank", "4", "--lora-targets", "q,v", "--data-dir", SharedData.Root])
            .Invoke(new InvocationConfiguration { Output = output });
        Assert.True(exitCode == 0, output.ToString());
        Assert.Matches(@"tokens/s \(LoRA rank 4 on q,v, base frozen, fwd\+bwd\+AdamW\): median \d+", output.ToString());

        var error = new StringWriter();
        exitCode = DarwinCommandLine.Build()
            .Parse(["bench", "train", "--preset", "tiny", "--steps", "3", "--lora-rank", "4", "--lora-targets", "q,lm_head", "--data-dir", SharedData.Root])
            .Invoke(new InvocationConfiguration { Output = new StringWriter(), Error = error });
        Assert.Equal(1, exitCode);
        Assert.Contains("unknown target(s) lm_head", error.ToString());
    }
}

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
        Assert.Matches(@"tokens per CPU-second \(steadier under load\): median \d+", text);
    }

    [Fact]
    public void BenchTrainOnEveryProductKernelTrainsToTheSameLoss()
    {
        (string Loss, string Text) Run(string products)
        {
            var output = new StringWriter();
            var exitCode = DarwinCommandLine.Build()
                .Parse(["bench", "train", "--preset", "tiny", "--steps", "3", "--threads", "1", "--data-dir", SharedData.Root, "--products", products])
                .Invoke(new InvocationConfiguration { Output = output });
            Assert.True(exitCode == 0, output.ToString());
            return (System.Text.RegularExpressions.Regex.Match(output.ToString(), @"answer loss ([0-9.]+ -> [0-9.]+)").Groups[1].Value, output.ToString());
        }

        var csharp = Run("csharp");
        Assert.Contains("products csharp (AVX-512 kernel)", csharp.Text);
        Assert.NotEqual("", csharp.Loss);
        // The loss after the steps depends on every gradient: the kernels agree to float rounding.
        Assert.Equal(csharp.Loss, Run("ggml-sgemm").Loss);
        Assert.Equal(csharp.Loss, Run("ggml").Loss);

        var error = new StringWriter();
        var exitCode = DarwinCommandLine.Build()
            .Parse(["bench", "train", "--preset", "tiny", "--products", "blas", "--data-dir", SharedData.Root])
            .Invoke(new InvocationConfiguration { Output = new StringWriter(), Error = error });
        Assert.NotEqual(0, exitCode);
        Assert.Contains("--products: 'blas' is not one of auto, csharp, ggml-sgemm, ggml", error.ToString());
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

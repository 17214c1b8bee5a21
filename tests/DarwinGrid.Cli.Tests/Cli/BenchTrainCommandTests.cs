using System.CommandLine;
using DarwinGrid.Silo.Cli;
using DarwinGrid.Training.Kernels;
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
        (int ExitCode, string Loss, string Text, string Error) Run(string products)
        {
            var output = new StringWriter();
            var error = new StringWriter();
            var exitCode = DarwinCommandLine.Build()
                .Parse(["bench", "train", "--preset", "tiny", "--steps", "3", "--threads", "1", "--data-dir", SharedData.Root, "--products", products])
                .Invoke(new InvocationConfiguration { Output = output, Error = error });
            return (exitCode, System.Text.RegularExpressions.Regex.Match(output.ToString(), @"answer loss ([0-9.]+ -> [0-9.]+)").Groups[1].Value, output.ToString(), error.ToString());
        }

        var sgemm = Run("ggml-sgemm");
        Assert.True(sgemm.ExitCode == 0, sgemm.Text + sgemm.Error);
        Assert.NotEqual("", sgemm.Loss);
        // The loss after the steps depends on every gradient: the kernels agree to float rounding.
        Assert.Equal(sgemm.Loss, Run("ggml").Loss);
        var kernels = new[] { ("csharp", KernelWidth.Vector512, "AVX-512 kernel"), ("csharp-avx2", KernelWidth.Vector256, "AVX2 kernel"), ("csharp-128", KernelWidth.Vector128, "128-bit") };
        foreach (var (name, width, label) in kernels)
        {
            var run = Run(name);
            if (width.IsSupported())
            {
                Assert.True(run.ExitCode == 0, run.Text + run.Error);
                Assert.Contains($"products {name} ({label}", run.Text);
                Assert.Equal(sgemm.Loss, run.Loss);
                Assert.Matches(@"FLOPs per training token: [0-9.]+ M", run.Text);
                Assert.Matches(@"FMA peak: 1 cores x \d+ FLOP/cycle x [0-9.]+ GHz = [0-9.]+ GFLOP/s", run.Text);
                Assert.Matches(@"share of the FMA peak: [0-9.]+%", run.Text);
            }
            else
            {
                // A kernel the CPU lacks is refused with what it needs, not run on something else.
                Assert.Equal(1, run.ExitCode);
                Assert.Contains($"needs {width.Requirement()}", run.Error);
            }
        }

        var error = new StringWriter();
        var exitCode = DarwinCommandLine.Build()
            .Parse(["bench", "train", "--preset", "tiny", "--products", "blas", "--data-dir", SharedData.Root])
            .Invoke(new InvocationConfiguration { Output = new StringWriter(), Error = error });
        Assert.NotEqual(0, exitCode);
        Assert.Contains("--products: 'blas' is not one of auto, csharp, csharp-avx2, csharp-128, ggml-sgemm, ggml", error.ToString());
    }

    [Fact]
    public void BenchTrainNamesTheNativeBuildAndRejectsAnUnknownCpu()
    {
        var output = new StringWriter();
        var exitCode = DarwinCommandLine.Build()
            .Parse(["bench", "train", "--preset", "tiny", "--steps", "2", "--threads", "1", "--data-dir", SharedData.Root])
            .Invoke(new InvocationConfiguration { Output = output });
        Assert.True(exitCode == 0, output.ToString());
        Assert.Matches(@"native: ggml (avx512|avx2|avx|noavx) build \(/.+libggml-base\.so\)", output.ToString());

        var error = new StringWriter();
        exitCode = DarwinCommandLine.Build()
            .Parse(["bench", "train", "--preset", "tiny", "--cpu", "sse9", "--data-dir", SharedData.Root])
            .Invoke(new InvocationConfiguration { Output = new StringWriter(), Error = error });
        Assert.NotEqual(0, exitCode);
        Assert.Contains("--cpu: 'sse9' is not one of auto, avx512, avx2, avx, noavx", error.ToString());
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

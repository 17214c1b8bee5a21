using System.CommandLine;
using DarwinGrid.Silo.Cli;
using DarwinGrid.TestSupport;

namespace DarwinGrid.Cli.Tests;

public sealed class BenchTrainCommandTests
{
    [Fact]
    public void BenchTrainTrainsATinyModelOnBandGapRecordsAndPrintsThroughputAndMemory()
    {
        var output = new StringWriter();
        var exitCode = DarwinCommandLine.Build()
            .Parse(["bench", "train", "--layers", "1", "--embd", "32", "--heads", "2", "--steps", "3", "--batch", "4", "--data-dir", SharedData.Root])
            .Invoke(new InvocationConfiguration { Output = output });
        var text = output.ToString();
        Assert.True(exitCode == 0, text);
        Assert.Contains("4138 band-gap records", text);
        Assert.Matches(@"steps: 3 in", text);
        Assert.Matches(@"tokens/s \(all weights, fwd\+bwd\+AdamW\): median \d+", text);
        Assert.Matches(@"peak working set: \d+ MiB", text);
    }
}

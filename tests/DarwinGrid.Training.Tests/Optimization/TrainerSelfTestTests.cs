using DarwinGrid.Training.Optimization;
using Xunit.Abstractions;

namespace DarwinGrid.Training.Tests.Optimization;

public sealed class TrainerSelfTestTests(ITestOutputHelper output)
{
    [Fact]
    public void SelfTestPassesOnThisBuildAndReportsTheLoadedVariant()
    {
        var report = TrainerSelfTest.Run();
        output.WriteLine(report.ToString());
        Assert.True(File.Exists(report.Libraries.BasePath));
        Assert.Equal(Path.GetDirectoryName(report.Libraries.BasePath), Path.GetDirectoryName(report.Libraries.CpuPath));
        Assert.Contains(report.Libraries.Variant, new[] { "noavx", "avx", "avx2", "avx512" });
        Assert.True(report.LossAfter < report.LossBefore / 2);
    }
}

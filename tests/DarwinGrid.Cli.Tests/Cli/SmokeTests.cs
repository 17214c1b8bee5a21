namespace DarwinGrid.Cli.Tests;

public class SmokeTests
{
    [Fact]
    public void SharedDataIsFound() => Assert.True(File.Exists(Path.Combine(DarwinGrid.TestSupport.SharedData.Root, "README.md")));
}

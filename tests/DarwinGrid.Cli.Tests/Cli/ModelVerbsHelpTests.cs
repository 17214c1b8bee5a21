namespace DarwinGrid.Cli.Tests;

/// <summary>Issue 18: 'model' (making files) and 'models' (the cluster's registry) say which is which and point at each other.</summary>
public sealed class ModelVerbsHelpTests
{
    [Theory]
    [InlineData("model", "Make model FILES", "see 'darwin models'", "new mini calibrate merge quantize")]
    [InlineData("models", "model REGISTRY", "see 'darwin model'", "add list show set-default remove")]
    public async Task EachModelVerbsHelpSaysWhatItIsForAndPointsAtTheOther(string verb, string purpose, string pointer, string subVerbs)
    {
        var (exitCode, stdout, _) = await CliRunner.Run(verb, "--help");
        Assert.Equal(0, exitCode);
        Assert.Contains(purpose, stdout);
        Assert.Contains(pointer, stdout);
        foreach (var subVerb in subVerbs.Split(' '))
            Assert.Contains(subVerb, stdout);
    }
}

namespace DarwinGrid.Cli.Tests;

/// <summary>Issue 18: one wrapper turns a verb's input errors into "darwin &lt;verb&gt;: message" and the verb's exit code.</summary>
public sealed class VerbFailuresTests
{
    [Fact]
    public async Task ABadOptionOfANestedVerbNamesTheWholeVerb()
    {
        var output = Path.Combine(Path.GetTempPath(), $"verb-failures-{Guid.NewGuid():N}.gguf");
        var (exitCode, _, stderr) = await CliRunner.Run("model", "quantize", "--type", "Q9_Z", "--in", "missing.gguf", "--out", output);
        Assert.Equal(1, exitCode);
        Assert.StartsWith("darwin model quantize: ", stderr);
        Assert.Contains("Q9_Z", stderr);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task AVerbWhoseInputErrorsExitWithTwoKeepsThatCode()
    {
        var (exitCode, _, stderr) = await CliRunner.Run("model", "calibrate", "--model", "/nonexistent/model.gguf");
        Assert.Equal(2, exitCode);
        Assert.StartsWith("darwin model calibrate: Model file '/nonexistent/model.gguf' does not exist.", stderr);
    }

    [Fact]
    public async Task TrainingHereWithoutAnOutputFolderIsRefusedWithTheVerbsLine()
    {
        var (exitCode, stdout, stderr) = await CliRunner.Run("train", "--preset", "tiny");
        Assert.Equal(1, exitCode);
        Assert.Equal("", stdout);
        Assert.Equal("darwin train: --out FOLDER is required (or --cluster to train on a running cluster).", stderr.Trim());
    }

    [Fact]
    public async Task ABadTrainingModeIsRefusedBeforeAnythingRuns()
    {
        var folder = Directory.CreateTempSubdirectory("verb-failures-").FullName;
        try
        {
            var (exitCode, _, stderr) = await CliRunner.Run("train", "--preset", "tiny", "--out", folder, "--mode", "half");
            Assert.Equal(1, exitCode);
            Assert.Equal("darwin train: --mode must be full or lora (got 'half').", stderr.Trim());
            Assert.Empty(Directory.GetFileSystemEntries(folder));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

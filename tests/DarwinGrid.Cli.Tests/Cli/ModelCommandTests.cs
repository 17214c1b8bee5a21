using System.CommandLine;
using DarwinGrid.Silo.Cli;
using DarwinGrid.TestSupport;
using DarwinGrid.Training.Gguf;
using DarwinGrid.Training.Models;
using DarwinGrid.Training.Tokenization;

namespace DarwinGrid.Cli.Tests;

public sealed class ModelCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cli-model-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task ModelNewWritesASeededRandomModelWithTheBuiltInVocabulary()
    {
        var path = Path.Combine(_dir, "sub", "tiny.gguf");
        var (code, output, error) = await CliRunner.Run("model", "new", "--layers", "2", "--embd", "32", "--heads", "4", "--kv-heads", "2",
            "--ffn", "64", "--context", "128", "--seed", "7", "--data-dir", SharedData.Root, "--out", path);

        Assert.True(code == 0, error);
        using var file = GgufFile.Open(path);
        var shape = LlamaGguf.ReadHyperparameters(file);
        var vocabulary = LlamaGguf.ReadVocabulary(file);
        Assert.Equal(new LlamaHyperparameters(vocabulary.Count, 32, 2, 4, 2, 64, ContextLength: 128), shape);
        Assert.Equal(BuiltInVocabulary.Create(SharedData.Root).Pieces, vocabulary.Pieces);
        Assert.Contains(path, output);
        Assert.Contains($"{shape.ParameterCount:N0} parameters", output);

        var again = Path.Combine(_dir, "again.gguf");
        Assert.Equal(0, (await CliRunner.Run("model", "new", "--layers", "2", "--embd", "32", "--heads", "4", "--kv-heads", "2",
            "--ffn", "64", "--context", "128", "--seed", "7", "--data-dir", SharedData.Root, "--out", again)).ExitCode);
        Assert.Equal(File.ReadAllBytes(path), File.ReadAllBytes(again));
    }

    [Theory]
    [InlineData("not divisible by head count", "--layers", "1", "--embd", "30", "--heads", "4")]
    [InlineData("KV head count 3 must divide head count 4", "--layers", "1", "--embd", "32", "--heads", "4", "--kv-heads", "3")]
    [InlineData("layer count must be positive", "--layers", "0", "--embd", "32", "--heads", "4")]
    [InlineData("context length must be positive", "--layers", "1", "--embd", "32", "--heads", "4", "--context", "0")]
    public async Task InvalidShapesFailWithAMessageAndWriteNothing(string expectedMessage, params string[] shape)
    {
        var path = Path.Combine(_dir, "bad.gguf");
        var (code, _, error) = await CliRunner.Run(["model", "new", .. shape, "--data-dir", SharedData.Root, "--out", path]);
        Assert.NotEqual(0, code);
        Assert.Contains(expectedMessage, error);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task AMissingDataFolderIsReported()
    {
        var missing = Path.Combine(_dir, "no-such-data");
        var (code, _, error) = await CliRunner.Run("model", "new", "--layers", "1", "--embd", "32", "--heads", "4", "--data-dir", missing, "--out", Path.Combine(_dir, "m.gguf"));
        Assert.NotEqual(0, code);
        Assert.Contains(missing, error);
    }

    [Fact]
    public async Task RequiredOptionsAreEnforced()
    {
        var (code, _, error) = await CliRunner.Run("model", "new", "--layers", "1", "--out", Path.Combine(_dir, "m.gguf"));
        Assert.NotEqual(0, code);
        Assert.Contains("--embd", error);
    }

    [Fact]
    public void DefaultFeedForwardFollowsTheLlamaRule()
    {
        foreach (var embedding in new[] { 8, 64, 100, 288, 4096 })
        {
            var width = ModelCommand.DefaultFeedForward(embedding);
            Assert.Equal(0, width % 32);
            Assert.InRange(width, 8.0 * embedding / 3, 8.0 * embedding / 3 + 32);
        }
    }

}

using DarwinGrid.Training.Gguf;
using DarwinGrid.Training.Lora;
using DarwinGrid.Training.Models;
using DarwinGrid.Training.Tokenization;

namespace DarwinGrid.Cli.Tests;

public sealed class ModelMergeCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cli-merge-").FullName;
    private static readonly LlamaHyperparameters Shape = new(ByteVocabulary().Count, 32, 2, 4, 2, 64, ContextLength: 128);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task MergeAddsScaleTimesAlphaOverRankTimesBATimesToTheAdaptedWeightsOnly()
    {
        var basePath = WriteBase("base.gguf");
        var adapter = RandomAdapter(Shape, new LoraOptions { Rank = 3, Alpha = 12, Targets = ["q", "down"] });
        var adapterPath = Path.Combine(_dir, "adapter.gguf");
        LoraAdapterGguf.Write(adapterPath, adapter, LlamaCheckpoint.Load(basePath).Metadata);
        var outPath = Path.Combine(_dir, "out", "merged.gguf");

        var (code, output, error) = await CliRunner.Run("model", "merge", "--base", basePath, "--adapter", adapterPath, "--scale", "0.5", "--out", outPath);

        Assert.True(code == 0, error);
        Assert.Contains(outPath, output);
        Assert.Contains("4 weights adapted", output);
        var before = LlamaCheckpoint.Load(basePath);
        var after = LlamaCheckpoint.Load(outPath);
        Assert.Equal("merge-base", after.Metadata.Single(kv => kv.Key == "general.name").Value.AsString());
        var adapted = adapter.Weights.ToDictionary(w => w.BaseName);
        foreach (var (name, original) in before.Weights)
        {
            if (!adapted.TryGetValue(name, out var lora))
            {
                Assert.Equal(original, after.Weights[name]);
                continue;
            }
            // Reference: W[o][i] + 0.5 * 12 / 3 * sum_j B[o][j] A[j][i], in double, written out plainly.
            double maxError = 0, maxChange = 0;
            for (var o = 0; o < lora.OutputLength; o++)
            {
                for (var i = 0; i < lora.InputLength; i++)
                {
                    double delta = 0;
                    for (var j = 0; j < lora.Rank; j++) delta += lora.B[o * lora.Rank + j] * (double)lora.A[j * lora.InputLength + i];
                    var index = o * lora.InputLength + i;
                    var expected = original[index] + 0.5 * 12 / 3 * delta;
                    maxError = Math.Max(maxError, Math.Abs(after.Weights[name][index] - expected));
                    maxChange = Math.Max(maxChange, Math.Abs(expected - original[index]));
                }
            }
            Assert.True(maxChange > 0.01, $"{name}: the adapter should change the weight");
            Assert.True(maxError < 1e-5, $"{name}: merged weight is off by {maxError}");
        }
    }

    [Fact]
    public async Task AMissingBaseFileIsNamed()
    {
        var adapterPath = Path.Combine(_dir, "adapter.gguf");
        LoraAdapterGguf.Write(adapterPath, RandomAdapter(Shape, new LoraOptions { Rank = 2 }), []);
        var missing = Path.Combine(_dir, "no-such-base.gguf");
        var (code, _, error) = await CliRunner.Run("model", "merge", "--base", missing, "--adapter", adapterPath, "--out", Path.Combine(_dir, "m.gguf"));
        Assert.Equal(1, code);
        Assert.Contains(missing, error);
        Assert.Contains("does not exist", error);
    }

    [Fact]
    public async Task ATextFileIsNotAnAdapterAndAModelIsNotEither()
    {
        var basePath = WriteBase("base.gguf");
        var text = Path.Combine(_dir, "adapter.gguf");
        File.WriteAllText(text, "alpha = 16, rank = 8");
        var (code, _, error) = await CliRunner.Run("model", "merge", "--base", basePath, "--adapter", text, "--out", Path.Combine(_dir, "m.gguf"));
        Assert.Equal(1, code);
        Assert.Contains(text, error);
        Assert.Contains("not a GGUF", error);

        var other = WriteBase("other.gguf");
        (code, _, error) = await CliRunner.Run("model", "merge", "--base", basePath, "--adapter", other, "--out", Path.Combine(_dir, "m.gguf"));
        Assert.Equal(1, code);
        Assert.Contains("not a LoRA adapter", error);
        Assert.False(File.Exists(Path.Combine(_dir, "m.gguf")));
    }

    [Fact]
    public async Task AnAdapterForAnotherShapeIsRejectedWithBothShapes()
    {
        var basePath = WriteBase("base.gguf");
        var wider = Shape with { EmbeddingLength = 48 };
        var adapterPath = Path.Combine(_dir, "wide-adapter.gguf");
        LoraAdapterGguf.Write(adapterPath, RandomAdapter(wider, new LoraOptions { Rank = 2, Targets = ["v"] }), []);
        var outPath = Path.Combine(_dir, "m.gguf");

        var (code, _, error) = await CliRunner.Run("model", "merge", "--base", basePath, "--adapter", adapterPath, "--out", outPath);

        Assert.Equal(1, code);
        Assert.Contains("does not fit the base model", error);
        Assert.Contains("blk.0.attn_v.weight", error);
        Assert.Contains("[32, 16]", error);
        Assert.Contains("[48, 2]", error);
        Assert.False(File.Exists(outPath));
    }

    private string WriteBase(string name)
    {
        var path = Path.Combine(_dir, name);
        RandomLlamaModel.Write(path, Shape, ByteVocabulary(), seed: 5, modelName: "merge-base");
        return path;
    }

    private static LoraAdapter RandomAdapter(LlamaHyperparameters shape, LoraOptions options)
    {
        var adapter = LoraAdapter.Initial(shape, options, seed: 9);
        var random = new Random(10);
        foreach (var weight in adapter.Weights)
        {
            for (var i = 0; i < weight.B.Length; i++) weight.B[i] = (float)(random.NextDouble() - 0.5);
        }
        return adapter;
    }

    /// <summary>Specials and byte pieces: enough for a model file; no text is tokenized here.</summary>
    private static Vocabulary ByteVocabulary()
    {
        var pieces = new List<VocabularyPiece> { new("<unk>", 0, TokenType.Unknown), new("<s>", 0, TokenType.Control), new("</s>", 0, TokenType.Control) };
        for (var b = 0; b < 256; b++) pieces.Add(new($"<0x{b:X2}>", 0, TokenType.Byte));
        return new Vocabulary(pieces, BosId: 1, EosId: 2, UnknownId: 0);
    }
}

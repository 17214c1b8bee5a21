using DarwinGrid.TestSupport;
using DarwinGrid.Training.Gguf;
using DarwinGrid.Training.Models;
using DarwinGrid.Training.Tokenization;

namespace DarwinGrid.Cli.Tests;

/// <summary>
/// <c>darwin model new --tokenizer</c> and <c>darwin model quantize</c>: every vocabulary family and
/// every quantized copy loads in llama.cpp and serves a prediction through <c>darwin predict</c>.
/// Widths are multiples of 256 so the K-quant has whole blocks.
/// </summary>
public sealed class ModelTokenizerCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cli-model-tok-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private async Task<string> NewModel(string tokenizer, params string[] extra)
    {
        var path = Path.Combine(_dir, tokenizer + ".gguf");
        var (code, output, error) = await CliRunner.Run(["model", "new", "--tokenizer", tokenizer, "--layers", "1", "--embd", "256", "--heads", "4",
            "--ffn", "256", "--context", "256", "--data-dir", SharedData.Root, "--out", path, .. extra]);
        Assert.True(code == 0, error);
        Assert.Contains(path, output);
        return path;
    }

    private async Task PredictsBandGapAndMetal(string model)
    {
        var input = Path.Combine(_dir, "in.csv");
        File.WriteAllLines(input, ["composition", "Fe2O3", "GaAs"]);
        foreach (var task in new[] { "matbench_expt_gap", "is_metal" })
        {
            var output = Path.Combine(_dir, task + ".csv");
            var (code, _, error) = await CliRunner.Run("predict", "--model", model, "--task", task, "--input", input, "--output", output, "--seqmax", "2");
            Assert.True(code == 0, $"{Path.GetFileName(model)} {task}: {error}");
            Assert.Equal(3, File.ReadAllLines(output).Length);
        }
    }

    [Theory]
    [InlineData("gpt2", "gpt2", "gpt-2", 50257)]
    [InlineData("llama3", "gpt2", "llama-bpe", 100512)]
    public async Task ByteLevelModelsCarryTheirVocabularyLoadAndServeQuantized(string tokenizer, string model, string pre, int pieces)
    {
        var path = await NewModel(tokenizer);
        using (var file = GgufFile.Open(path))
        {
            var vocabulary = LlamaGguf.ReadVocabulary(file);
            var shape = LlamaGguf.ReadHyperparameters(file);
            Assert.Equal((model, pre, pieces), (vocabulary.Model, vocabulary.PreTokenizer, vocabulary.Count));
            Assert.NotEmpty(vocabulary.Merges);
            if (tokenizer == "llama3")
            {
                Assert.Equal((ByteLevelVocabularies.BeginOfText, ByteLevelVocabularies.EndOfText), (vocabulary.Pieces[vocabulary.BosId].Piece, vocabulary.Pieces[vocabulary.EosId].Piece));
                Assert.Equal((500000f, 1), (shape.RopeFreqBase, shape.HeadCountKv));
                Assert.True(vocabulary.AddBos);
            }
            else Assert.False(vocabulary.AddBos);
        }
        await PredictsBandGapAndMetal(path);

        var quantized = Path.Combine(_dir, tokenizer + "-q4km.gguf");
        var (code, _, error) = await CliRunner.Run("model", "quantize", "--type", "Q4_K_M", "--in", path, "--out", quantized);
        Assert.True(code == 0, error);
        Assert.True(new FileInfo(quantized).Length < new FileInfo(path).Length / 4);
        await PredictsBandGapAndMetal(quantized);
    }

    [Fact]
    public async Task SentencepieceModelSplitsDigitsHasByteFallbackAndServesInEveryQuantizedType()
    {
        var path = await NewModel("spm", "--vocab-size", "8000");
        using (var file = GgufFile.Open(path))
        {
            var vocabulary = LlamaGguf.ReadVocabulary(file);
            Assert.Equal(8000, vocabulary.Count);
            Assert.Equal(256, vocabulary.Pieces.Count(p => p.Type == TokenType.Byte));
            Assert.DoesNotContain(vocabulary.Pieces, p => p.Type == TokenType.Normal && p.Piece.Length > 1 && p.Piece.Any(char.IsAsciiDigit));
            Assert.DoesNotContain(vocabulary.Pieces, p => p.Piece.Contains('\n'));
            Assert.Equal(vocabulary.Count, vocabulary.Pieces.Select(p => p.Score).Where((_, i) => vocabulary.Pieces[i].Type == TokenType.Normal).Distinct().Count() + 259);
        }
        await PredictsBandGapAndMetal(path);
        foreach (var type in new[] { "Q8_0", "Q4_K_M", "F16" })
        {
            var quantized = Path.Combine(_dir, $"spm-{type}.gguf");
            var (code, output, error) = await CliRunner.Run("model", "quantize", "--type", type, "--in", path, "--out", quantized);
            Assert.True(code == 0, error);
            Assert.Contains(type, output);
            await PredictsBandGapAndMetal(quantized);
        }
    }

    [Theory]
    [InlineData("--tokenizer 'bpe' is not one of builtin|spm|gpt2|llama3", "model", "new", "--tokenizer", "bpe", "--layers", "1", "--embd", "32", "--heads", "4")]
    [InlineData("--vocab-size applies to --tokenizer spm only", "model", "new", "--tokenizer", "gpt2", "--vocab-size", "900", "--layers", "1", "--embd", "32", "--heads", "4")]
    [InlineData("needs at least", "model", "new", "--tokenizer", "spm", "--vocab-size", "300", "--layers", "1", "--embd", "32", "--heads", "4")]
    [InlineData("--type 'Q5' is not one of F16|Q8_0|Q4_K_M", "model", "quantize", "--type", "Q5", "--in", "IN", "--out", "OUT")]
    [InlineData("there is no model file", "model", "quantize", "--type", "Q8_0", "--in", "MISSING", "--out", "OUT")]
    [InlineData("is the input", "model", "quantize", "--type", "Q8_0", "--in", "IN", "--out", "IN")]
    [InlineData("K-quants need rows divisible by 256", "model", "quantize", "--type", "Q4_K_M", "--in", "IN", "--out", "OUT")]
    public async Task BadArgumentsFailWithTheReasonAndWriteNothing(string expected, params string[] args)
    {
        var input = Path.Combine(_dir, "small.gguf");
        var vocabulary = BuiltInVocabulary.Create(SharedData.Root);
        RandomLlamaModel.Write(input, new LlamaHyperparameters(vocabulary.Count, 32, 1, 4, 4, 64), vocabulary, seed: 1);
        var output = Path.Combine(_dir, "out.gguf");
        var resolved = args.Select(a => a switch { "IN" => input, "OUT" => output, "MISSING" => Path.Combine(_dir, "missing.gguf"), _ => a }).ToList();
        if (resolved[1] == "new") resolved.AddRange(["--data-dir", SharedData.Root, "--out", output]);

        var (code, _, error) = await CliRunner.Run([.. resolved]);

        Assert.NotEqual(0, code);
        Assert.Contains(expected, error);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task ModelsAddRefusesAQwen2FileAndOneLlamaCppCannotLoadBeforeReachingTheRegistry()
    {
        var vocabulary = BuiltInVocabulary.Create(SharedData.Root);
        var shape = new LlamaHyperparameters(vocabulary.Count, 32, 1, 4, 4, 64);
        var weights = RandomLlamaModel.CreateWeights(shape, seed: 2);
        string Write(string name, string architecture, bool dropOutputNorm)
        {
            var writer = new GgufWriter();
            foreach (var (key, value) in LlamaGguf.Metadata(shape, vocabulary, name))
                writer.Set(key, key == "general.architecture" ? GgufValue.Of(architecture) : value);
            foreach (var spec in LlamaTensorLayout.Enumerate(shape).Where(s => !(dropOutputNorm && s.Name == LlamaTensorLayout.OutputNorm)))
                writer.AddTensor(spec.Name, spec.Dimensions, weights[spec.Name]);
            var path = Path.Combine(_dir, name + ".gguf");
            writer.WriteTo(path);
            return path;
        }
        var home = Path.Combine(_dir, "home");

        var qwen = await CliRunner.Run("models", "add", "--id", "q", "--model", Write("qwen", "qwen2", false), "--home", home);
        var broken = await CliRunner.Run("models", "add", "--id", "b", "--model", Write("broken", "llama", true), "--home", home);

        Assert.Equal(2, qwen.ExitCode);
        Assert.Contains("architecture is 'qwen2'", qwen.Error);
        Assert.Equal(2, broken.ExitCode);
        Assert.Contains("llama.cpp could not load", broken.Error);
        Assert.False(Directory.Exists(home)); // refused before any grid was opened
    }
}

using System.CommandLine;
using DarwinGrid.Domain.Data;
using DarwinGrid.Training.Gguf;
using DarwinGrid.Training.Models;
using DarwinGrid.Training.Tokenization;

namespace DarwinGrid.Silo.Cli;

/// <summary><c>darwin model ...</c>: DarwinGrid's own LLaMA-architecture models.</summary>
public static class ModelCommand
{
    public static Command Create()
    {
        var model = new Command("model", "Create DarwinGrid's own LLaMA-architecture models (GGUF, loadable by llama.cpp) and merge LoRA adapters into them.");
        model.Subcommands.Add(CreateNew());
        model.Subcommands.Add(ModelMiniCommand.Create());
        model.Subcommands.Add(ModelCalibrateCommand.Create());
        model.Subcommands.Add(ModelMergeCommand.Create());
        return model;
    }

    private static Command CreateNew()
    {
        var layers = new Option<int>("--layers") { Description = "Number of transformer blocks.", Required = true };
        var embedding = new Option<int>("--embd") { Description = "Embedding width; must be divisible by --heads.", Required = true };
        var heads = new Option<int>("--heads") { Description = "Attention heads.", Required = true };
        var kvHeads = new Option<int?>("--kv-heads") { Description = "Key/value heads (grouped-query attention; must divide --heads). Default: --heads." };
        var feedForward = new Option<int?>("--ffn") { Description = "Feed-forward width. Default: 8/3 x --embd rounded up to a multiple of 32 (the LLaMA rule)." };
        var context = new Option<int>("--context") { Description = "Context length in tokens.", DefaultValueFactory = _ => 512 };
        var seed = new Option<int>("--seed") { Description = "Seed of the random initialisation; the same seed gives the same file.", DefaultValueFactory = _ => 0 };
        var f16 = new Option<bool>("--f16") { Description = "Store the weight matrices as F16 instead of F32." };
        var dataDir = CommonOptions.DataDir();
        var output = new Option<string>("--out") { Description = "The GGUF file to write.", Required = true };

        var command = new Command("new", "Write a randomly initialised model that uses the built-in vocabulary.");
        foreach (var option in new Option[] { layers, embedding, heads, kvHeads, feedForward, context, seed, f16, dataDir, output })
            command.Options.Add(option);

        command.SetAction(parse =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            try
            {
                var embd = parse.GetValue(embedding);
                var headCount = parse.GetValue(heads);
                var shapeWithoutVocabulary = new LlamaHyperparameters(
                    VocabSize: 1,
                    EmbeddingLength: embd,
                    BlockCount: parse.GetValue(layers),
                    HeadCount: headCount,
                    HeadCountKv: parse.GetValue(kvHeads) ?? headCount,
                    FeedForwardLength: parse.GetValue(feedForward) ?? DefaultFeedForward(embd),
                    ContextLength: parse.GetValue(context)).Validated();
                var path = Path.GetFullPath(parse.GetValue(output)!);

                var vocabulary = BuiltInVocabulary.Create(SharedDataLocator.Locate(parse.GetValue(dataDir)));
                var shape = shapeWithoutVocabulary with { VocabSize = vocabulary.Count };
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                RandomLlamaModel.Write(path, shape, vocabulary, parse.GetValue(seed), parse.GetValue(f16) ? GgmlType.F16 : GgmlType.F32);

                stdout.WriteLine($"Wrote {path}");
                stdout.WriteLine($"  {shape.ParameterCount:N0} parameters: {shape.BlockCount} layers, embedding {shape.EmbeddingLength}, " +
                                 $"{shape.HeadCount} heads ({shape.HeadCountKv} KV), feed-forward {shape.FeedForwardLength}, context {shape.ContextLength}");
                stdout.WriteLine($"  vocabulary {vocabulary.Count} pieces (built-in), seed {parse.GetValue(seed)}, {(parse.GetValue(f16) ? "F16" : "F32")}, {new FileInfo(path).Length:N0} bytes");
                return 0;
            }
            catch (Exception e) when (e is ArgumentException or DirectoryNotFoundException or InvalidDataException or IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"darwin model new: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    /// <summary>LLaMA's SwiGLU width: two thirds of 4 x embedding, rounded up to a multiple of 32.</summary>
    public static int DefaultFeedForward(int embedding) => Math.Max(32, (8 * embedding / 3 + 31) / 32 * 32);
}

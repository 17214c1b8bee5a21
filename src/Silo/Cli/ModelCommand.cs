using System.CommandLine;
using DarwinGrid.Domain.Data;
using DarwinGrid.Training.Gguf;
using DarwinGrid.Training.Models;
using DarwinGrid.Training.Tokenization;

namespace DarwinGrid.Silo.Cli;

/// <summary><c>darwin model ...</c>: making model files (not to be confused with <c>darwin models</c>, the cluster's registry: <see cref="ModelVerbs"/>).</summary>
public static class ModelCommand
{
    public static Command Create()
    {
        var model = new Command("model", ModelVerbs.ModelDescription);
        model.Subcommands.Add(CreateNew());
        model.Subcommands.Add(ModelMiniCommand.Create());
        model.Subcommands.Add(ModelCalibrateCommand.Create());
        model.Subcommands.Add(ModelMergeCommand.Create());
        model.Subcommands.Add(ModelQuantizeCommand.Create());
        return model;
    }

    private static Command CreateNew()
    {
        var layers = new Option<int>("--layers") { Description = "Number of transformer blocks.", Required = true };
        var embedding = new Option<int>("--embd") { Description = "Embedding width; must be divisible by --heads.", Required = true };
        var heads = new Option<int>("--heads") { Description = "Attention heads.", Required = true };
        var kvHeads = new Option<int?>("--kv-heads") { Description = "Key/value heads (grouped-query attention; must divide --heads). Default: --heads (llama3: a quarter of --heads when it divides)." };
        var feedForward = new Option<int?>("--ffn") { Description = "Feed-forward width. Default: 8/3 x --embd rounded up to a multiple of 32 (the LLaMA rule)." };
        var context = new Option<int>("--context") { Description = "Context length in tokens.", DefaultValueFactory = _ => 512 };
        var seed = new Option<int>("--seed") { Description = "Seed of the random initialisation; the same seed gives the same file.", DefaultValueFactory = _ => 0 };
        var f16 = new Option<bool>("--f16") { Description = "Store the weight matrices as F16 instead of F32." };
        var tokenizer = new Option<string>("--tokenizer")
        {
            Description = "The vocabulary: builtin (DarwinGrid's), spm (LLaMA-2-style SentencePiece learnt from the shared corpus: byte fallback, split digits), " +
                          "gpt2 (GPT-2 byte-level BPE) or llama3 (cl100k + llama-bpe pre-tokenizer + 256 control tokens, rope base 500000, grouped KV heads).",
            DefaultValueFactory = _ => "builtin",
        };
        var vocabSize = new Option<int?>("--vocab-size") { Description = $"Pieces of the spm vocabulary (default {SentencePieceBpeTrainer.LlamaVocabularySize:N0}, LLaMA's); only with --tokenizer spm." };
        var ropeBase = new Option<float?>("--rope-base") { Description = "RoPE frequency base. Default: 500000 for llama3, 10000 otherwise." };
        var dataDir = CommonOptions.DataDir();
        var output = new Option<string>("--out") { Description = "The GGUF file to write.", Required = true };

        var command = new Command("new", "Write a randomly initialised LLaMA model with the built-in or a LLaMA-family vocabulary (--tokenizer).");
        foreach (var option in new Option[] { layers, embedding, heads, kvHeads, feedForward, context, seed, f16, tokenizer, vocabSize, ropeBase, dataDir, output })
            command.Options.Add(option);

        command.SetReportedAction(parse =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var kind = VocabularyKinds.Parse(parse.GetValue(tokenizer)!);
            if (parse.GetValue(vocabSize) is not null && kind != VocabularyKind.Spm)
                throw new ArgumentException($"--vocab-size applies to --tokenizer spm only; the {kind.ToString().ToLowerInvariant()} vocabulary has a fixed size.");
            var embd = parse.GetValue(embedding);
            var headCount = parse.GetValue(heads);
            var shapeWithoutVocabulary = new LlamaHyperparameters(
                VocabSize: 1,
                EmbeddingLength: embd,
                BlockCount: parse.GetValue(layers),
                HeadCount: headCount,
                HeadCountKv: parse.GetValue(kvHeads) ?? DefaultKvHeads(kind, headCount),
                FeedForwardLength: parse.GetValue(feedForward) ?? DefaultFeedForward(embd),
                ContextLength: parse.GetValue(context),
                RopeFreqBase: parse.GetValue(ropeBase) ?? (kind == VocabularyKind.Llama3 ? Llama3RopeBase : 10000f)).Validated();
            var path = Path.GetFullPath(parse.GetValue(output)!);

            var vocabulary = VocabularyKinds.Create(kind, SharedDataLocator.Locate(parse.GetValue(dataDir)),
                parse.GetValue(vocabSize) ?? SentencePieceBpeTrainer.LlamaVocabularySize);
            var shape = shapeWithoutVocabulary with { VocabSize = vocabulary.Count };
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            RandomLlamaModel.Write(path, shape, vocabulary, parse.GetValue(seed), parse.GetValue(f16) ? GgmlType.F16 : GgmlType.F32);

            stdout.WriteLine($"Wrote {path}");
            stdout.WriteLine($"  {shape.ParameterCount:N0} parameters: {shape.BlockCount} layers, embedding {shape.EmbeddingLength}, " +
                             $"{shape.HeadCount} heads ({shape.HeadCountKv} KV), feed-forward {shape.FeedForwardLength}, context {shape.ContextLength}, rope base {shape.RopeFreqBase:0.###}");
            stdout.WriteLine($"  vocabulary {vocabulary.Count} pieces ({kind.ToString().ToLowerInvariant()}: {vocabulary.Model}{(vocabulary.PreTokenizer is { } pre ? "/" + pre : "")}), " +
                             $"seed {parse.GetValue(seed)}, {(parse.GetValue(f16) ? "F16" : "F32")}, {new FileInfo(path).Length:N0} bytes");
            return 0;
        });
        return command;
    }

    /// <summary>LLaMA 3's RoPE frequency base.</summary>
    public const float Llama3RopeBase = 500000f;

    /// <summary>LLaMA 3 groups four query heads per KV head (32/8); the others default to one KV head per head.</summary>
    public static int DefaultKvHeads(VocabularyKind kind, int heads) =>
        kind == VocabularyKind.Llama3 && heads >= 4 && heads % 4 == 0 ? heads / 4 : heads;

    /// <summary>LLaMA's SwiGLU width: two thirds of 4 x embedding, rounded up to a multiple of 32.</summary>
    public static int DefaultFeedForward(int embedding) => Math.Max(32, (8 * embedding / 3 + 31) / 32 * 32);
}

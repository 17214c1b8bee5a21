using DarwinGrid.Training.Gguf;
using DarwinGrid.Training.Tokenization;

namespace DarwinGrid.Training.Models;

/// <summary>
/// The metadata keys llama.cpp needs to load a <c>llama</c>-architecture model, written and read
/// in one place so our writer and reader cannot drift apart.
/// </summary>
public static class LlamaGguf
{
    public const string Architecture = "llama";

    public static GgufWriter CreateWriter(LlamaHyperparameters h, Vocabulary vocabulary, string modelName)
    {
        var writer = new GgufWriter();
        foreach (var (key, value) in Metadata(h, vocabulary, modelName)) writer.Set(key, value);
        return writer;
    }

    /// <summary>The metadata of a model of shape <paramref name="h"/> with <paramref name="vocabulary"/>, in writing order (for a <see cref="LlamaCheckpoint"/> built in memory).</summary>
    public static IReadOnlyList<KeyValuePair<string, GgufValue>> Metadata(LlamaHyperparameters h, Vocabulary vocabulary, string modelName)
    {
        h.Validated();
        if (vocabulary.Count != h.VocabSize)
            throw new ArgumentException($"The vocabulary has {vocabulary.Count} pieces but the model shape says {h.VocabSize}.");

        var writer = new MetadataList();
        writer.Set("general.architecture", GgufValue.Of(Architecture));
        writer.Set("general.name", GgufValue.Of(modelName));
        writer.Set("general.file_type", GgufValue.Of(0u));
        writer.Set("llama.vocab_size", GgufValue.Of((uint)h.VocabSize));
        writer.Set("llama.context_length", GgufValue.Of((uint)h.ContextLength));
        writer.Set("llama.embedding_length", GgufValue.Of((uint)h.EmbeddingLength));
        writer.Set("llama.block_count", GgufValue.Of((uint)h.BlockCount));
        writer.Set("llama.feed_forward_length", GgufValue.Of((uint)h.FeedForwardLength));
        writer.Set("llama.rope.dimension_count", GgufValue.Of((uint)h.HeadDimension));
        writer.Set("llama.rope.freq_base", GgufValue.Of(h.RopeFreqBase));
        writer.Set("llama.attention.head_count", GgufValue.Of((uint)h.HeadCount));
        writer.Set("llama.attention.head_count_kv", GgufValue.Of((uint)h.HeadCountKv));
        writer.Set("llama.attention.layer_norm_rms_epsilon", GgufValue.Of(h.RmsNormEpsilon));
        VocabularyMetadata(writer, vocabulary);
        return writer.Items;
    }

    public static void WriteVocabulary(GgufWriter writer, Vocabulary vocabulary)
    {
        var list = new MetadataList();
        VocabularyMetadata(list, vocabulary);
        foreach (var (key, value) in list.Items) writer.Set(key, value);
    }

    private sealed class MetadataList
    {
        public List<KeyValuePair<string, GgufValue>> Items { get; } = [];

        public void Set(string key, GgufValue value) => Items.Add(new(key, value));
    }

    private static void VocabularyMetadata(MetadataList writer, Vocabulary vocabulary)
    {
        writer.Set("tokenizer.ggml.model", GgufValue.Of(vocabulary.Model));
        if (vocabulary.PreTokenizer is { } pre) writer.Set("tokenizer.ggml.pre", GgufValue.Of(pre));
        writer.Set("tokenizer.ggml.tokens", GgufValue.Array(vocabulary.Pieces.Select(p => p.Piece).ToArray()));
        if (vocabulary.IsSentencePiece) writer.Set("tokenizer.ggml.scores", GgufValue.Array(vocabulary.Pieces.Select(p => p.Score).ToArray()));
        writer.Set("tokenizer.ggml.token_type", GgufValue.Array(vocabulary.Pieces.Select(p => (int)p.Type).ToArray()));
        if (!vocabulary.IsSentencePiece) writer.Set("tokenizer.ggml.merges", GgufValue.Array(vocabulary.Merges.ToArray()));
        writer.Set("tokenizer.ggml.bos_token_id", GgufValue.Of((uint)vocabulary.BosId));
        writer.Set("tokenizer.ggml.eos_token_id", GgufValue.Of((uint)vocabulary.EosId));
        if (vocabulary.IsSentencePiece) writer.Set("tokenizer.ggml.unknown_token_id", GgufValue.Of((uint)vocabulary.UnknownId));
        if (vocabulary.PaddingId is { } padding) writer.Set("tokenizer.ggml.padding_token_id", GgufValue.Of((uint)padding));
        writer.Set("tokenizer.ggml.add_bos_token", GgufValue.Of(vocabulary.AddBos));
        writer.Set("tokenizer.ggml.add_eos_token", GgufValue.Of(false));
        if (vocabulary.IsSentencePiece) writer.Set("tokenizer.ggml.add_space_prefix", GgufValue.Of(vocabulary.AddSpacePrefix));
    }

    public static LlamaHyperparameters ReadHyperparameters(GgufFile file)
    {
        var architecture = file.Find("general.architecture")?.AsString();
        if (architecture != Architecture)
            throw new GgufFormatException($"'{file.Path}' is a '{architecture ?? "(unnamed)"}' model; only '{Architecture}' models are supported.");
        var embedding = (int)file.Get("llama.embedding_length").AsInt64();
        var heads = (int)file.Get("llama.attention.head_count").AsInt64();
        var vocabSize = file.Find("llama.vocab_size")?.AsInt64()
            ?? file.Find("tokenizer.ggml.tokens")?.ArrayLength
            ?? file.Tensor(LlamaTensorLayout.TokenEmbedding).Dimensions[1];
        return new LlamaHyperparameters(
            VocabSize: (int)vocabSize,
            EmbeddingLength: embedding,
            BlockCount: (int)file.Get("llama.block_count").AsInt64(),
            HeadCount: heads,
            HeadCountKv: (int)(file.Find("llama.attention.head_count_kv")?.AsInt64() ?? heads),
            FeedForwardLength: (int)file.Get("llama.feed_forward_length").AsInt64(),
            ContextLength: (int)(file.Find("llama.context_length")?.AsInt64() ?? 4096),
            RmsNormEpsilon: (float)(file.Find("llama.attention.layer_norm_rms_epsilon")?.AsDouble() ?? 1e-5),
            RopeFreqBase: (float)(file.Find("llama.rope.freq_base")?.AsDouble() ?? 10000.0),
            TiedOutput: !file.TensorsByName.ContainsKey(LlamaTensorLayout.Output),
            RopeFrequencyFactors: file.TensorsByName.ContainsKey(LlamaTensorLayout.RopeFrequencies)).Validated();
    }

    /// <summary>A SentencePiece-style ("llama") or byte-level BPE ("gpt2") vocabulary, with BOS/EOS/padding and add-BOS as the file says.</summary>
    public static Vocabulary ReadVocabulary(GgufFile file)
    {
        var model = file.Find("tokenizer.ggml.model")?.AsString();
        if (model is not (TokenizerModels.SentencePiece or TokenizerModels.Gpt2))
            throw new GgufFormatException($"'{file.Path}' has tokenizer '{model ?? "(none)"}'; only SentencePiece-style 'llama' and byte-level BPE 'gpt2' vocabularies are supported here.");
        var tokens = file.Get("tokenizer.ggml.tokens").AsArray<string>();
        var scores = file.Find("tokenizer.ggml.scores")?.AsArray<float>() ?? new float[tokens.Length];
        var types = file.Find("tokenizer.ggml.token_type")?.AsArray<int>() ?? Enumerable.Repeat((int)TokenType.Normal, tokens.Length).ToArray();
        if (scores.Length != tokens.Length || types.Length != tokens.Length)
            throw new GgufFormatException($"'{file.Path}': {tokens.Length} tokens but {scores.Length} scores and {types.Length} token types.");
        var pieces = tokens.Select((t, i) => new VocabularyPiece(t, scores[i], (TokenType)types[i])).ToArray();
        var sentencePiece = model == TokenizerModels.SentencePiece;
        return new Vocabulary(pieces,
            BosId: (int)(file.Find("tokenizer.ggml.bos_token_id")?.AsInt64() ?? (sentencePiece ? 1 : 11)),
            EosId: (int)(file.Find("tokenizer.ggml.eos_token_id")?.AsInt64() ?? (sentencePiece ? 2 : 11)),
            UnknownId: (int)(file.Find("tokenizer.ggml.unknown_token_id")?.AsInt64() ?? (sentencePiece ? 0 : -1)),
            AddSpacePrefix: file.Find("tokenizer.ggml.add_space_prefix")?.AsBool() ?? sentencePiece)
        {
            Model = model,
            PreTokenizer = file.Find("tokenizer.ggml.pre")?.AsString(),
            Merges = file.Find("tokenizer.ggml.merges")?.AsArray<string>() ?? [],
            AddBos = file.Find("tokenizer.ggml.add_bos_token")?.AsBool() ?? sentencePiece,
            PaddingId = file.Find("tokenizer.ggml.padding_token_id")?.AsInt64() is { } padding ? (int)padding : null,
        };
    }
}

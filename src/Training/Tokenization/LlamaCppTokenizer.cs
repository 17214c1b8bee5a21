using System.Text;
using LLama;
using LLama.Common;
using LLama.Exceptions;

namespace DarwinGrid.Training.Tokenization;

/// <summary>
/// A model's own vocabulary through llama.cpp (a vocabulary-only load: no tensors are read), so
/// training encodes text with exactly the tokenizer the engine uses: SentencePiece and byte-level
/// BPE (<c>gpt-2</c>, <c>llama-bpe</c>) alike, BOS/EOS as the GGUF's metadata says. Thread-safe
/// (llama_tokenize only reads the vocabulary).
/// </summary>
public sealed class LlamaCppTokenizer : ITextTokenizer, IDisposable
{
    private readonly LLamaWeights _weights;
    private readonly bool _spaceBeforeContinuation;

    private LlamaCppTokenizer(string path, LLamaWeights weights, Vocabulary vocabulary)
    {
        Path = path;
        _weights = weights;
        Vocabulary = vocabulary;
        // SentencePiece puts a dummy "▁" before every text it encodes; a continuation starting with a
        // space is therefore the same text without that space, encoded whole.
        _spaceBeforeContinuation = vocabulary.IsSentencePiece && vocabulary.AddSpacePrefix;
        BosId = weights.Vocab.BOS is { } bos ? (int)bos : vocabulary.BosId;
        EosId = weights.Vocab.EOS is { } eos ? (int)eos : vocabulary.EosId;
    }

    public string Path { get; }

    public Vocabulary Vocabulary { get; }

    public int BosId { get; }

    public int EosId { get; }

    /// <summary>Loads the vocabulary of a GGUF model; <paramref name="vocabulary"/> is the same vocabulary as read by the project's GGUF reader.</summary>
    public static LlamaCppTokenizer Load(string path, Vocabulary vocabulary)
    {
        LLama.Native.NativeApi.llama_empty_call();
        try
        {
            return new LlamaCppTokenizer(path, LLamaWeights.LoadFromFile(new ModelParams(path) { VocabOnly = true, GpuLayerCount = 0 }), vocabulary);
        }
        catch (LoadWeightsFailedException e)
        {
            throw new InvalidDataException($"llama.cpp could not load the vocabulary of '{path}' (see the native log).", e);
        }
    }

    public int[] Encode(string text, bool addBos = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Array.ConvertAll(_weights.Tokenize(text, addBos, special: false, Encoding.UTF8), t => (int)t);
    }

    public int[] EncodeContinuation(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0) return [];
        if (!_spaceBeforeContinuation) return Encode(text, addBos: false);
        if (text[0] != ' ')
            throw new ArgumentException($"With a SentencePiece vocabulary llama.cpp cannot encode a continuation that does not start with a space: '{Shorten(text)}'.");
        return text.Length == 1 ? Encode(" ", addBos: false)[..1] : Encode(text[1..], addBos: false);
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..37] + "...";

    public void Dispose() => _weights.Dispose();
}

using System.Collections.Concurrent;
using System.Text;
using LLama;

namespace DarwinGrid.Inference.Prompts;

/// <summary>
/// Tokenizes prompts so that prefix sharing can never change what the model sees.
/// llama.cpp's SentencePiece tokenizer inserts a space before the first text fragment even without
/// BOS, and merges can cross the prefix/suffix boundary, so tokenizing the suffix alone is not
/// safe. Instead the whole prompt is tokenized and the shared part is the longest common prefix
/// with the (cached) tokens of the prefix text. Thread-safe: llama_tokenize only reads the vocabulary.
/// </summary>
public sealed class PromptTokenizer(LLamaWeights weights, int prefixCacheCapacity = 64)
{
    private readonly ConcurrentDictionary<string, int[]> _prefixTokens = new(StringComparer.Ordinal);

    public int[] Tokenize(string text, bool addBos = true) =>
        Array.ConvertAll(weights.Tokenize(text, addBos, special: false, Encoding.UTF8), t => (int)t);

    public PreparedPrompt Prepare(string prefix, string suffix)
    {
        var prefixTokens = PrefixTokens(prefix);
        var tokens = Tokenize(prefix + suffix);
        if (tokens.Length == 0) throw new ArgumentException("The prompt is empty and the model adds no BOS token.");
        var common = CommonPrefixLength(prefixTokens, tokens);
        return new PreparedPrompt(prefix, prefixTokens, tokens, Math.Min(common, tokens.Length - 1));
    }

    /// <summary>
    /// Where one forward pass can tell the labels apart: each label's tokens as they follow the
    /// prompt (read from the tokenization of prompt + label, so spaces and merges are exactly what
    /// the model would see), the tokens all labels share first (often a lone space piece), and each
    /// label's first token after them. Scoring after the shared tokens ranks the labels exactly as
    /// their full probabilities would up to their first difference, since the shared factor cancels.
    /// </summary>
    public LabelTokens LabelTokens(string prompt, int[] promptTokens, IReadOnlyList<string> labels)
    {
        if (labels.Count < 2) throw new ArgumentException($"Labels mode needs at least two labels (got {labels.Count}).");
        var continuations = new int[labels.Count][];
        for (var i = 0; i < labels.Count; i++)
        {
            if (string.IsNullOrEmpty(labels[i])) throw new ArgumentException($"Label {i} is empty.");
            var withLabel = Tokenize(prompt + labels[i]);
            if (withLabel.Length <= promptTokens.Length || CommonPrefixLength(promptTokens, withLabel) < promptTokens.Length)
                throw new ArgumentException($"Label '{labels[i]}' merges with the end of the prompt into one token; end the prompt at a token boundary (e.g. after ':' or a space-free word).");
            continuations[i] = withLabel[promptTokens.Length..];
        }

        var shared = continuations.Skip(1).Aggregate(continuations[0].Length, (length, c) => Math.Min(length, CommonPrefixLength(continuations[0].AsSpan(0, length), c)));
        var tooShort = continuations.Select((c, i) => (c, i)).FirstOrDefault(x => x.c.Length <= shared);
        if (tooShort.c is not null)
            throw new ArgumentException($"Label '{labels[tooShort.i]}' is a token prefix of another label, so one forward pass cannot tell them apart.");
        var firstTokens = continuations.Select(c => c[shared]).ToArray();
        var duplicate = firstTokens.Select((t, i) => (t, i)).GroupBy(x => x.t).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"Labels {string.Join(" and ", duplicate.Select(x => $"'{labels[x.i]}'"))} start with the same token, so one forward pass cannot tell them apart.");
        return new LabelTokens(continuations[0][..shared], firstTokens);
    }

    public static int CommonPrefixLength(ReadOnlySpan<int> a, ReadOnlySpan<int> b) => a.CommonPrefixLength(b);

    private int[] PrefixTokens(string prefix)
    {
        if (_prefixTokens.TryGetValue(prefix, out var cached)) return cached;
        var tokens = Tokenize(prefix);
        // Prefixes are few (one per task); the bound only guards against callers that vary them.
        if (_prefixTokens.Count >= prefixCacheCapacity) _prefixTokens.Clear();
        _prefixTokens[prefix] = tokens;
        return tokens;
    }
}

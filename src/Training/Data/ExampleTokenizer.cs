using DarwinGrid.Training.Tokenization;

namespace DarwinGrid.Training.Data;

/// <summary>
/// Turns text examples into token ids for the trainer, exactly as the inference engine will see
/// them. The prompt is encoded alone (BOS as the vocabulary says), as the engine encodes a prompt.
/// The answer is what follows the prompt's tokens in the encoding of prompt + answer, as the engine
/// reads a label's tokens (<c>PromptTokenizer.LabelTokens</c>); where a piece would span the
/// boundary (the prompt's own tokens are then not a prefix), the answer is encoded as a continuation
/// instead (no BOS, no dummy prefix: <c>" 1.51\n"</c> -> "▁1" ... not "▁▁"), what the model must generate after
/// the prompt. Then EOS. <see cref="TokenStatistics.BoundaryMerges"/> counts the continuation cases.
/// Deterministic and sequential (Microsoft.ML.Tokenizers' SentencePiece measured 5x slower from several threads).
/// </summary>
public sealed class ExampleTokenizer(ITextTokenizer tokenizer, TokenizationOptions? options = null)
{
    private readonly TokenizationOptions _options = (options ?? new TokenizationOptions()).Validated();

    public TokenizationOptions Options => _options;

    public TokenizedExample Tokenize(TrainingExample example) => Tokenize(example, out _);

    /// <param name="splitsAtBoundary">Whether prompt + answer encoded as one text is the prompt's tokens followed by the answer's.</param>
    public TokenizedExample Tokenize(TrainingExample example, out bool splitsAtBoundary)
    {
        var prompt = tokenizer.Encode(example.Prompt, addBos: true);
        var whole = tokenizer.Encode(example.Prompt + example.Response, addBos: true);
        splitsAtBoundary = whole.Length > prompt.Length && whole.AsSpan(0, prompt.Length).SequenceEqual(prompt);
        var answer = splitsAtBoundary ? whole[prompt.Length..] : tokenizer.EncodeContinuation(example.Response);
        return new TokenizedExample(prompt, [.. answer, tokenizer.EosId], example.Task);
    }

    /// <summary>True when encoding prompt + response as one text gives the prompt tokens followed by the response tokens.</summary>
    public bool SplitsAtBoundary(TrainingExample example, TokenizedExample tokens)
    {
        var whole = tokenizer.Encode(example.Prompt + example.Response, addBos: true);
        return whole.Length == tokens.Length - 1
            && whole.AsSpan(0, tokens.PromptTokens.Length).SequenceEqual(tokens.PromptTokens)
            && whole.AsSpan(tokens.PromptTokens.Length).SequenceEqual(tokens.ResponseTokens.AsSpan(0, tokens.ResponseTokens.Length - 1));
    }

    public TokenizedDataset TokenizeAll(IReadOnlyList<TrainingExample> examples) => TokenizeAll(examples, _options.MaxTokens);

    public TokenizedDataset TokenizeAll(IReadOnlyList<TrainingExample> examples, int maxTokens)
    {
        var results = new TokenizedExample[examples.Count];
        var merged = 0;
        for (var i = 0; i < examples.Count; i++)
        {
            results[i] = Tokenize(examples[i], out var splits);
            if (!splits) merged++;
        }

        var kept = new List<TokenizedExample>(examples.Count);
        var dropped = new List<DroppedExample>();
        for (var i = 0; i < results.Length; i++)
        {
            if (results[i].Length <= maxTokens)
            {
                kept.Add(results[i]);
                continue;
            }
            if (_options.OverLength == OverLengthPolicy.Fail)
                throw new InvalidDataException(
                    $"Example {i} of task '{examples[i].Task}' has {results[i].Length} tokens, more than the limit of {maxTokens} (prompt starts: '{Shorten(examples[i].Prompt)}').");
            dropped.Add(new DroppedExample(i, examples[i].Task, results[i].Length, maxTokens));
        }
        return new TokenizedDataset(kept, dropped, TokenStatistics.Of(kept, dropped, merged));
    }

    private static string Shorten(string text)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length <= 60 ? line : line[..57] + "...";
    }
}

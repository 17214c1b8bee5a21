using DarwinGrid.Training.Tokenization;

namespace DarwinGrid.Training.Data;

/// <summary>
/// Turns text examples into token ids for the trainer. The prompt is encoded alone with BOS, exactly
/// as the inference engine encodes it (SentencePiece adds its dummy "▁" in front of the prompt only);
/// the response is encoded as a continuation, without a dummy prefix, so <c>" 1.51\n"</c> becomes
/// "▁" "1" "." "5" "1" "\n" (not "▁▁" ...), what the model must generate after the prompt, then EOS. Encoding
/// prompt + response as one text gives the same ids except where a piece spans the boundary
/// (<see cref="TokenizationOptions.CheckBoundaries"/> counts those); the split used here is the one
/// that matches inference. Deterministic. Sequential on purpose: Microsoft.ML.Tokenizers' SentencePiece
/// encoder measured 5x slower, not faster, when called from several threads.
/// </summary>
public sealed class ExampleTokenizer(DarwinTokenizer tokenizer, TokenizationOptions? options = null)
{
    private readonly TokenizationOptions _options = (options ?? new TokenizationOptions()).Validated();

    public TokenizationOptions Options => _options;

    public TokenizedExample Tokenize(TrainingExample example) =>
        new(tokenizer.Encode(example.Prompt, addBos: true), [.. tokenizer.EncodeContinuation(example.Response), tokenizer.EosId], example.Task);

    /// <summary>True when encoding prompt + response as one text gives the prompt tokens followed by the response tokens.</summary>
    public bool SplitsAtBoundary(TrainingExample example, TokenizedExample tokens)
    {
        var whole = tokenizer.Encode(example.Prompt + example.Response, addBos: true);
        return whole.Length == tokens.Length - 1
            && whole.AsSpan(0, tokens.PromptTokens.Length).SequenceEqual(tokens.PromptTokens)
            && whole.AsSpan(tokens.PromptTokens.Length).SequenceEqual(tokens.ResponseTokens.AsSpan(0, tokens.ResponseTokens.Length - 1));
    }

    public TokenizedDataset TokenizeAll(IReadOnlyList<TrainingExample> examples)
    {
        var results = new TokenizedExample[examples.Count];
        var merged = new bool[examples.Count];
        for (var i = 0; i < examples.Count; i++)
        {
            results[i] = Tokenize(examples[i]);
            if (_options.CheckBoundaries)
                merged[i] = !SplitsAtBoundary(examples[i], results[i]);
        }

        var kept = new List<TokenizedExample>(examples.Count);
        var dropped = new List<DroppedExample>();
        for (var i = 0; i < results.Length; i++)
        {
            if (results[i].Length <= _options.MaxTokens)
            {
                kept.Add(results[i]);
                continue;
            }
            if (_options.OverLength == OverLengthPolicy.Fail)
                throw new InvalidDataException(
                    $"Example {i} of task '{examples[i].Task}' has {results[i].Length} tokens, more than the limit of {_options.MaxTokens} (prompt starts: '{Shorten(examples[i].Prompt)}').");
            dropped.Add(new DroppedExample(i, examples[i].Task, results[i].Length, _options.MaxTokens));
        }
        var boundaryMerges = _options.CheckBoundaries ? merged.Count(m => m) : (int?)null;
        return new TokenizedDataset(kept, dropped, TokenStatistics.Of(kept, dropped, boundaryMerges));
    }

    private static string Shorten(string text)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length <= 60 ? line : line[..57] + "...";
    }
}

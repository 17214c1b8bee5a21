using System.Globalization;
using DarwinGrid.Inference.Decoding;
using DarwinGrid.Inference.Engine;
using DarwinGrid.Inference.Models;
using LLama.Native;

namespace DarwinGrid.Inference.Tests.Support;

/// <summary>
/// Every number a capped constrained decode can end with, with its exact probability: a
/// depth-first walk over all token paths on one plain sequence, written independently of the
/// engine's search. At each step the softmax runs over the tokens that keep a valid number
/// prefix plus, once the number is complete, the terminators (newline, EOS).
/// </summary>
internal static class BruteForceNumbers
{
    public static Dictionary<double, double> Enumerate(EngineOptions options, string prompt, int maxTokens)
    {
        var single = new EngineOptions
        {
            ModelPath = options.ModelPath, ContextSize = options.ContextSize, SeqMax = 1, BatchSize = options.BatchSize,
            Threads = options.Threads, FlashAttention = options.FlashAttention, F32KvCache = options.F32KvCache,
        };
        using var model = LoadedModel.Load(single, sequenceCount: 1);
        var pieces = new TokenPieces(model.Weights);
        var tokens = Array.ConvertAll(model.Weights.Tokenize(prompt, true, false, System.Text.Encoding.UTF8), t => (int)t);
        var batch = new LLamaBatch();
        for (var i = 0; i < tokens.Length; i++) batch.Add(tokens[i], i, LLamaSeqId.Zero, i == tokens.Length - 1);
        Assert.Equal(DecodeResult.Ok, model.Native.Decode(batch));
        var result = new Dictionary<double, double>();
        Walk(model, pieces, batch, model.Native.GetLogitsIth(tokens.Length - 1).ToArray(), "", 1.0, tokens.Length, 0, maxTokens, result);
        return result;
    }

    private static void Walk(LoadedModel model, TokenPieces pieces, LLamaBatch batch, float[] logits, string text, double probability,
        int position, int depth, int maxTokens, Dictionary<double, double> result)
    {
        var numbers = pieces.NumericTokens.Where(t => NumberScanner.IsValidPrefix(text + pieces.AsciiText(t))).ToArray();
        var complete = NumberScanner.IsCompleteNumber(text);
        var terminators = complete ? pieces.NewlineTokens.Concat(pieces.EndOfGenerationTokens).ToArray() : [];
        var max = numbers.Concat(terminators).Max(t => (double)logits[t]);
        var total = numbers.Concat(terminators).Sum(t => Math.Exp(logits[t] - max));
        if (complete)
        {
            var value = double.Parse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture);
            result[value] = result.GetValueOrDefault(value) + probability * terminators.Sum(t => Math.Exp(logits[t] - max)) / total;
        }
        if (depth == maxTokens) return;
        foreach (var token in numbers)
        {
            batch.Clear();
            batch.Add(token, position, LLamaSeqId.Zero, true);
            Assert.Equal(DecodeResult.Ok, model.Native.Decode(batch));
            var next = model.Native.GetLogitsIth(0).ToArray();
            Walk(model, pieces, batch, next, text + pieces.AsciiText(token), probability * Math.Exp(logits[token] - max) / total,
                position + 1, depth + 1, maxTokens, result);
            model.Native.MemorySequenceRemove(LLamaSeqId.Zero, position, -1);
        }
    }
}

using System.Diagnostics;
using DarwinGrid.Inference.Decoding;
using DarwinGrid.Inference.Engine;
using DarwinGrid.Inference.Models;
using LLama.Native;

namespace DarwinGrid.Inference.Benchmarks;

/// <summary>
/// DARWIN's reference evaluation: one candidate at a time, the whole prompt evaluated from scratch,
/// then free greedy generation one token per decode until a newline, EOS or the cap.
/// </summary>
public sealed class NaiveEvaluator : IDisposable
{
    private readonly LoadedModel _model;
    private readonly TokenPieces _pieces;
    private readonly LLamaBatch _batch = new();

    public NaiveEvaluator(EngineOptions options)
    {
        var single = new EngineOptions
        {
            ModelPath = options.ModelPath, ContextSize = options.ContextSize, SeqMax = 1, PrefixCacheSize = 1,
            BatchSize = options.BatchSize, UBatchSize = options.UBatchSize, Threads = options.Threads, BatchThreads = options.BatchThreads,
            FlashAttention = options.FlashAttention, UnifiedKvCache = true, F32KvCache = options.F32KvCache, LoraAdapters = options.LoraAdapters,
        };
        _model = LoadedModel.Load(single, sequenceCount: 1);
        _pieces = new TokenPieces(_model.Weights);
    }

    public ModeMeasurement Run(IReadOnlyList<string> prompts, int maxTokens)
    {
        long tokens = 0, promptTokens = 0, generated = 0;
        var clock = Stopwatch.StartNew();
        foreach (var prompt in prompts)
        {
            var promptIds = _model.Weights.Tokenize(prompt, true, false, System.Text.Encoding.UTF8);
            var context = _model.Native;
            context.MemoryClear(true);
            _batch.Clear();
            for (var i = 0; i < promptIds.Length; i++) _batch.Add(promptIds[i], i, LLamaSeqId.Zero, i == promptIds.Length - 1);
            Decode();
            tokens += promptIds.Length;
            promptTokens += promptIds.Length;
            var decoder = new FreeTextDecoder(_pieces, maxTokens);
            var position = promptIds.Length;
            var next = decoder.Step(context.GetLogitsIth(promptIds.Length - 1));
            while (next != ResponseDecoder.Done)
            {
                _batch.Clear();
                _batch.Add(next, position++, LLamaSeqId.Zero, true);
                Decode();
                tokens++;
                next = decoder.Step(context.GetLogitsIth(0));
            }
            generated += decoder.GeneratedTokens;
        }
        return new ModeMeasurement("naive", prompts.Count, tokens, clock.Elapsed, (double)promptTokens / prompts.Count, (double)generated / prompts.Count);
    }

    private void Decode()
    {
        var result = _model.Native.Decode(_batch);
        if (result != DecodeResult.Ok) throw new InvalidOperationException($"llama_decode failed with {result}.");
    }

    public void Dispose() => _model.Dispose();
}

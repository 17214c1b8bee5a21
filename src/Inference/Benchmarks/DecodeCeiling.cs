using System.Diagnostics;
using DarwinGrid.Inference.Engine;
using DarwinGrid.Inference.Models;
using LLama.Native;

namespace DarwinGrid.Inference.Benchmarks;

/// <summary>
/// The ceiling for the engine (its measurement reports the candidates' own prompt tokens; the prefix is evaluated once): a bare batched <c>llama_decode</c> loop with the engine's context
/// settings and the same work per candidate (shared prefix once, its own prompt tokens, its answer
/// steps), in perfectly full synchronous waves of <c>SeqMax</c> sequences, with no tokenizing,
/// queueing or sampling. Tokens are dummies: the cost of a decode does not depend on their ids.
/// </summary>
public sealed class DecodeCeiling : IDisposable
{
    private readonly EngineOptions _options;
    private readonly LoadedModel _model;
    private readonly LLamaBatch _batch = new();

    public DecodeCeiling(EngineOptions options)
    {
        _options = options;
        _model = LoadedModel.Load(options, options.SeqMax + options.PrefixCacheSize);
    }

    /// <param name="prefixTokens">shared prefix length (evaluated once)</param>
    /// <param name="ownPromptTokens">prompt tokens each candidate evaluates itself</param>
    /// <param name="answerSteps">single-token decode steps per candidate</param>
    public ModeMeasurement Run(int candidates, int prefixTokens, int ownPromptTokens, int answerSteps)
    {
        var context = _model.Native;
        var batchLimit = (int)context.BatchSize;
        var token = (LLamaToken)Math.Min(100, _model.Weights.Vocab.Count - 1);
        long decoded = 0;
        context.MemoryClear(true);
        var clock = Stopwatch.StartNew();
        for (var start = 0; start < prefixTokens; start += batchLimit)
        {
            _batch.Clear();
            for (var p = start; p < Math.Min(prefixTokens, start + batchLimit); p++) _batch.Add(token, p, LLamaSeqId.Zero, false);
            decoded += Decode();
        }
        for (var done = 0; done < candidates; done += _options.SeqMax)
        {
            var wave = Math.Min(_options.SeqMax, candidates - done);
            for (var s = 1; s <= wave; s++) context.MemorySequenceCopy(LLamaSeqId.Zero, (LLamaSeqId)s, -1, -1);
            _batch.Clear();
            for (var s = 1; s <= wave; s++)
                for (var i = 0; i < ownPromptTokens; i++)
                {
                    if (_batch.TokenCount == batchLimit) { decoded += Decode(); _batch.Clear(); }
                    _batch.Add(token, prefixTokens + i, (LLamaSeqId)s, i == ownPromptTokens - 1);
                }
            decoded += Decode();
            for (var step = 0; step < answerSteps; step++)
            {
                _batch.Clear();
                for (var s = 1; s <= wave; s++) _batch.Add(token, prefixTokens + ownPromptTokens + step, (LLamaSeqId)s, true);
                decoded += Decode();
            }
            for (var s = 1; s <= wave; s++) context.MemorySequenceRemove((LLamaSeqId)s, -1, -1);
        }
        return new ModeMeasurement("ceiling", candidates, decoded, clock.Elapsed, ownPromptTokens, answerSteps);
    }

    private int Decode()
    {
        if (_batch.TokenCount == 0) return 0;
        var result = _model.Native.Decode(_batch);
        if (result != DecodeResult.Ok) throw new InvalidOperationException($"llama_decode failed with {result}.");
        return _batch.TokenCount;
    }

    public void Dispose() => _model.Dispose();
}

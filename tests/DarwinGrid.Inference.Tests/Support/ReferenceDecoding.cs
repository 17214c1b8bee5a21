using DarwinGrid.Inference.Decoding;
using DarwinGrid.Inference.Engine;
using DarwinGrid.Inference.Models;
using LLama.Native;

namespace DarwinGrid.Inference.Tests.Support;

/// <summary>
/// The plain way to answer a prompt: one sequence, the whole prompt evaluated from scratch, one
/// token per decode. What the engine's batching and prefix sharing must reproduce.
/// </summary>
internal sealed class ReferenceDecoding : IDisposable
{
    private readonly LoadedModel _model;

    public ReferenceDecoding(EngineOptions options)
    {
        var single = new EngineOptions
        {
            ModelPath = options.ModelPath, ContextSize = options.ContextSize, SeqMax = 1, BatchSize = options.BatchSize,
            Threads = options.Threads, FlashAttention = options.FlashAttention, UnifiedKvCache = options.UnifiedKvCache,
            F32KvCache = options.F32KvCache, LoraAdapters = options.LoraAdapters,
        };
        _model = LoadedModel.Load(single, sequenceCount: 1);
        Pieces = new TokenPieces(_model.Weights);
    }

    public TokenPieces Pieces { get; }

    public int[] Tokenize(string text) =>
        Array.ConvertAll(_model.Weights.Tokenize(text, true, false, System.Text.Encoding.UTF8), t => (int)t);

    /// <summary>Runs <paramref name="decoder"/> on the prompt; returns it for its text/probabilities.</summary>
    public ResponseDecoder Run(string prompt, ResponseDecoder decoder)
    {
        var tokens = Tokenize(prompt);
        var context = _model.Native;
        context.MemoryClear(true);
        var batch = new LLamaBatch();
        for (var i = 0; i < tokens.Length; i++) batch.Add(tokens[i], i, LLamaSeqId.Zero, i == tokens.Length - 1);
        Assert.Equal(DecodeResult.Ok, context.Decode(batch));
        var position = tokens.Length;
        var next = decoder.Step(context.GetLogitsIth(tokens.Length - 1));
        while (next != ResponseDecoder.Done)
        {
            batch.Clear();
            batch.Add(next, position++, LLamaSeqId.Zero, true);
            Assert.Equal(DecodeResult.Ok, context.Decode(batch));
            next = decoder.Step(context.GetLogitsIth(0));
        }
        return decoder;
    }

    public void Dispose() => _model.Dispose();
}

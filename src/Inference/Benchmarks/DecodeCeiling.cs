using System.Diagnostics;
using DarwinGrid.Inference.Engine;
using DarwinGrid.Inference.Models;
using LLama.Native;

namespace DarwinGrid.Inference.Benchmarks;

/// <summary>
/// The ceiling for the engine: the engine's own recorded work (<see cref="DecodeTrace"/>: the same
/// batches of tokens, positions and sequences, the same KV copies and removals) replayed as a bare
/// loop of native calls on an identically configured context, with no tokenizing, queueing,
/// scheduling or sampling. Batches are built before the clock starts.
/// </summary>
public sealed class DecodeCeiling(EngineOptions options) : IDisposable
{
    private readonly LoadedModel _model = LoadedModel.Load(options, options.SeqMax + options.PrefixCacheSize);

    /// <summary>Replays untimed, e.g. the warm-up that evaluated the shared prefix the timed runs reuse.</summary>
    public void Prepare(DecodeTrace trace)
    {
        _model.Native.MemoryClear(true);
        Replay(Build(trace));
    }

    public ModeMeasurement Run(DecodeTrace trace, int candidates, double promptTokensPerCandidate, double answerTokensPerCandidate)
    {
        var steps = Build(trace);
        var clock = Stopwatch.StartNew();
        Replay(steps);
        return new ModeMeasurement("ceiling", candidates, trace.TokenCount, clock.Elapsed, promptTokensPerCandidate, answerTokensPerCandidate);
    }

    private static List<object> Build(DecodeTrace trace)
    {
        var steps = new List<object>(trace.Events.Count);
        foreach (var e in trace.Events)
        {
            if (e is TraceEvent.Decode decode)
            {
                var batch = new LLamaBatch();
                foreach (var t in decode.Tokens) batch.Add(t.Token, t.Position, (LLamaSeqId)t.Sequence, t.Logits);
                steps.Add(batch);
            }
            else steps.Add(e);
        }
        return steps;
    }

    private void Replay(List<object> steps)
    {
        var context = _model.Native;
        foreach (var step in steps)
        {
            switch (step)
            {
                case LLamaBatch batch:
                    var result = context.Decode(batch);
                    if (result != DecodeResult.Ok) throw new InvalidOperationException($"llama_decode failed with {result} while replaying the engine's trace.");
                    break;
                case TraceEvent.Copy copy:
                    context.MemorySequenceCopy((LLamaSeqId)copy.Source, (LLamaSeqId)copy.Destination, -1, -1);
                    break;
                case TraceEvent.Remove remove:
                    context.MemorySequenceRemove((LLamaSeqId)remove.Sequence, remove.From, -1);
                    break;
            }
        }
    }

    public void Dispose() => _model.Dispose();
}

using System.Threading.Channels;
using DarwinGrid.Inference.Decoding;
using DarwinGrid.Inference.Models;
using LLama.Native;
using Microsoft.Extensions.Logging;

namespace DarwinGrid.Inference.Engine;

/// <summary>
/// The continuous-batching loop of one model, run on one dedicated thread (the only thread that
/// touches the context). Each iteration: drop cancelled sequences, admit queued jobs into free
/// slots (copying the shared prefix's KV cells), pack one token per generating sequence plus
/// prompt chunks of prefilling ones into a single <c>llama_decode</c>, then let each sequence's
/// decoder pick its next token from its logits row. Finished sequences free their slot at once.
/// </summary>
internal sealed class BatchDriver
{
    private readonly LoadedModel _model;
    private readonly ChannelReader<SequenceJob> _queue;
    private readonly EngineCounters _counters;
    private readonly ILogger _logger;
    private readonly CancellationToken _stop;
    private readonly int _batchTokens;
    private readonly PrefixCache _prefixes;
    private readonly Stack<int> _freeSlots;
    private readonly List<ActiveSequence> _active;
    private readonly LLamaBatch _batch = new();
    private readonly DecodeTrace? _trace;
    private SequenceJob? _waiting;
    private int _cellsReserved;

    public BatchDriver(LoadedModel model, EngineLayout layout, ChannelReader<SequenceJob> queue, EngineCounters counters, ILogger logger, CancellationToken stop, DecodeTrace? trace)
    {
        _trace = trace;
        _model = model;
        Layout = layout;
        _queue = queue;
        _counters = counters;
        _logger = logger;
        _stop = stop;
        _batchTokens = (int)model.Native.BatchSize;
        _prefixes = new PrefixCache(firstSequence: 0, layout.PrefixSequences);
        _freeSlots = new Stack<int>(Enumerable.Range(layout.PrefixSequences, layout.CandidateSequences).Reverse());
        _active = new List<ActiveSequence>(layout.CandidateSequences);
    }

    public EngineLayout Layout { get; }

    public void Run()
    {
        while (!_stop.IsCancellationRequested)
        {
            if (_active.Count == 0 && _waiting is null && !WaitForWork()) break;
            try
            {
                DropAbandoned();
                Admit();
                _counters.SetActive(_active.Count);
                if (_active.Count > 0) Step();
                _counters.SetActive(_active.Count);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Recover(e);
            }
        }
        Shutdown();
    }

    private bool WaitForWork()
    {
        try
        {
            return _queue.WaitToReadAsync(_stop).AsTask().GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void Admit()
    {
        while (_freeSlots.Count > 0)
        {
            var job = _waiting;
            _waiting = null;
            if (job is null && !_queue.TryRead(out job)) return;
            if (job.IsAbandoned)
            {
                job.Cancel();
                continue;
            }
            if (!TryStart(job))
            {
                // Keep FIFO order: the head waits for cells or a prefix slot to free up.
                _waiting = job;
                return;
            }
        }
    }

    private bool TryStart(SequenceJob job)
    {
        var search = job.Decoder as NumberDistributionDecoder;
        var width = search?.MaxBeams ?? 1;
        if (_freeSlots.Count < width) return false;
        var prompt = job.Prompt;
        var cells = prompt.EvaluatedLength + job.AnswerBudget;
        PrefixCache.Entry? prefix = null;
        if (prompt.SharedLength > 0)
        {
            prefix = _prefixes.Find(prompt.Prefix);
            if (prefix is null)
            {
                if (!MakeRoom(cells + prompt.PrefixTokens.Length, keep: null)) return false;
                var sequence = _prefixes.FreeSequence(ClearSequence);
                if (sequence is null) return false;
                prefix = EvaluatePrefix(prompt.Prefix, prompt.PrefixTokens, sequence.Value);
            }
            else if (!MakeRoom(cells, keep: prefix)) return false;
        }
        else if (!MakeRoom(cells, keep: null)) return false;

        var slot = _freeSlots.Pop();
        if (prefix is not null)
        {
            // Copying a whole sequence works with split (non-unified) KV buffers too; then trim
            // to the part the prompt really shares.
            _model.Native.MemorySequenceCopy((LLamaSeqId)prefix.Sequence, (LLamaSeqId)slot, -1, -1);
            _trace?.Copy(prefix.Sequence, slot);
            if (prompt.SharedLength < prefix.Tokens.Length)
            {
                _model.Native.MemorySequenceRemove((LLamaSeqId)slot, prompt.SharedLength, -1);
                _trace?.Remove(slot, prompt.SharedLength);
            }
            prefix.Users++;
        }
        var reserved = Layout.UnifiedKvCache ? cells : 0;
        _cellsReserved += reserved;
        if (search is null)
        {
            _active.Add(new ActiveSequence(job, slot, prefix, reserved));
            return true;
        }
        // A search's group owns the prefix use and the cells; its beams come and go.
        var group = new BeamGroup(search, prefix, reserved);
        for (var i = 1; i < width; i++) group.SpareSlots.Push(_freeSlots.Pop());
        var root = new ActiveSequence(job, slot, null, 0) { Group = group };
        group.Members.Add(root);
        _active.Add(root);
        return true;
    }

    /// <summary>Unified KV: makes sure <paramref name="cells"/> more cells fit, evicting idle prefixes if needed.</summary>
    private bool MakeRoom(int cells, PrefixCache.Entry? keep)
    {
        if (!Layout.UnifiedKvCache) return true;
        while (_cellsReserved + _prefixes.CellsHeld + cells > Layout.CellBudget)
            if (!_prefixes.EvictOneIdle(ClearSequence, keep)) return false;
        return true;
    }

    private PrefixCache.Entry EvaluatePrefix(string text, int[] tokens, int sequence)
    {
        for (var start = 0; start < tokens.Length; start += _batchTokens)
        {
            _batch.Clear();
            var end = Math.Min(tokens.Length, start + _batchTokens);
            for (var i = start; i < end; i++) Add(tokens[i], i, sequence, false);
            Decode();
        }
        _counters.PrefixEvaluated(tokens.Length);
        return _prefixes.Add(text, tokens, sequence);
    }

    private void Step()
    {
        _batch.Clear();
        foreach (var s in _active)
        {
            if (s.PendingToken < 0) continue;
            s.LogitsIndex = Add(s.PendingToken, s.Position++, s.Sequence, true);
            s.PendingToken = -1;
        }
        foreach (var s in _active)
        {
            // A restarted beam's path: its group advances once it got its logits (a later step if the batch is full).
            if (s.PendingPath is not { } path || _batch.TokenCount + path.Length > _batchTokens) continue;
            for (var i = 0; i < path.Length; i++) s.LogitsIndex = Add(path[i], s.Position++, s.Sequence, i == path.Length - 1);
            s.PendingPath = null;
        }
        foreach (var s in _active)
        {
            if (!s.IsPrefilling) continue;
            var tokens = s.Job.Prompt.Tokens;
            var take = Math.Min(tokens.Length - s.NextPromptToken, _batchTokens - _batch.TokenCount);
            for (var i = 0; i < take; i++)
            {
                var index = s.NextPromptToken++;
                var last = index == tokens.Length - 1;
                var row = Add(tokens[index], s.Position++, s.Sequence, last);
                if (last) s.LogitsIndex = row;
            }
            if (_batch.TokenCount >= _batchTokens) break;
        }
        Decode();

        List<BeamGroup>? observed = null;
        for (var i = _active.Count - 1; i >= 0; i--)
        {
            var s = _active[i];
            if (s.LogitsIndex < 0) continue;
            var logits = _model.Native.GetLogitsIth(s.LogitsIndex);
            s.LogitsIndex = -1;
            if (s.Group is { } group)
            {
                group.Search.Observe(s.Beam, logits);
                if (!group.Observed) (observed ??= []).Add(group);
                group.Observed = true;
                continue;
            }
            var next = s.Job.Decoder.Step(logits);
            if (next == ResponseDecoder.Done) Finish(i, s => s.Job.Succeed(s.Job.Prompt.EvaluatedLength));
            else s.PendingToken = next;
        }
        if (observed is not null)
            foreach (var group in observed)
            {
                if (group.Members.TrueForAll(m => m.PendingPath is null)) AdvanceSearch(group);
                else group.Observed = false; // the postponed path's logits bring it back
            }
    }

    /// <summary>
    /// Moves a search to its next beams: a parent's first child continues on the parent's sequence,
    /// further children get a spare slot holding a copy of the parent's cells (shared, not
    /// duplicated, with a unified KV cache), a restarted beam gets a slot holding only the prompt's
    /// cells, and parents without children give their slot back.
    /// </summary>
    private void AdvanceSearch(BeamGroup group)
    {
        group.Observed = false;
        var next = group.Search.Advance();
        if (next.Count == 0)
        {
            FinishGroup(group, s => s.Job.Succeed(s.Job.Prompt.EvaluatedLength));
            return;
        }
        var parents = group.Members.ToArray();
        var continued = new bool[parents.Length];
        var hasChildren = new bool[parents.Length];
        foreach (var beam in next)
            if (beam.Parent >= 0) hasChildren[beam.Parent] = true;
        var childless = new Stack<ActiveSequence>(parents.Where((_, i) => !hasChildren[i]));
        group.Members.Clear();
        // Restarts first, while every parent still holds the prompt: a childless parent's slot is
        // cut back to the prompt, a spare one gets a copy of it.
        foreach (var restart in next)
        {
            if (restart.Restart is not { } path) continue;
            var job = parents[0].Job;
            var promptEnd = job.Prompt.Tokens.Length;
            int slot;
            if (childless.TryPop(out var reused))
            {
                _active.Remove(reused);
                slot = reused.Sequence;
            }
            else
            {
                slot = group.SpareSlots.Pop();
                _model.Native.MemorySequenceCopy((LLamaSeqId)parents[0].Sequence, (LLamaSeqId)slot, -1, -1);
                _trace?.Copy(parents[0].Sequence, slot);
            }
            _model.Native.MemorySequenceRemove((LLamaSeqId)slot, promptEnd, -1);
            _trace?.Remove(slot, promptEnd);
            var beam = new ActiveSequence(job, slot, null, 0) { Group = group, Position = promptEnd, NextPromptToken = promptEnd, PendingPath = path };
            _active.Add(beam);
        }
        // Parents without children free their slots before any sibling copy needs one.
        while (childless.TryPop(out var parent))
        {
            _active.Remove(parent);
            ClearSequence(parent.Sequence);
            group.SpareSlots.Push(parent.Sequence);
        }
        var restarted = _active.Where(a => a.Group == group && a.PendingPath is not null).ToList();
        foreach (var step in next)
        {
            ActiveSequence beam;
            if (step.Restart is not null)
            {
                beam = restarted[0];
                restarted.RemoveAt(0);
            }
            else
            {
                var from = parents[step.Parent];
                if (!continued[step.Parent])
                {
                    continued[step.Parent] = true;
                    beam = from;
                }
                else
                {
                    var slot = group.SpareSlots.Pop();
                    _model.Native.MemorySequenceCopy((LLamaSeqId)from.Sequence, (LLamaSeqId)slot, -1, -1);
                    _trace?.Copy(from.Sequence, slot);
                    beam = new ActiveSequence(from.Job, slot, null, 0)
                    {
                        Group = group, Position = from.Position, NextPromptToken = from.Job.Prompt.Tokens.Length,
                    };
                    _active.Add(beam);
                }
                beam.PendingToken = step.Token;
            }
            beam.Beam = group.Members.Count;
            group.Members.Add(beam);
        }
    }

    private void FinishGroup(BeamGroup group, Action<ActiveSequence> complete)
    {
        // From the active list, not Members: a failed step may have left Members half rebuilt.
        var members = _active.Where(a => a.Group == group).ToArray();
        var first = members[0];
        foreach (var member in members)
        {
            _active.Remove(member);
            ClearSequence(member.Sequence);
            _freeSlots.Push(member.Sequence);
        }
        foreach (var slot in group.SpareSlots) _freeSlots.Push(slot);
        group.Members.Clear();
        group.SpareSlots.Clear();
        _cellsReserved -= group.ReservedCells;
        if (group.Prefix is not null) group.Prefix.Users--;
        if (!first.Job.IsAbandoned)
            _counters.SequenceCompleted(first.Job.Prompt.Tokens.Length, first.Job.Prompt.EvaluatedLength, first.Job.Decoder.GeneratedTokens);
        complete(first);
    }

    private int Add(int token, int position, int sequence, bool logits)
    {
        _trace?.Token(token, position, sequence, logits);
        return _batch.Add(token, position, (LLamaSeqId)sequence, logits);
    }

    private void Decode()
    {
        _trace?.Decoded();
        var result = _model.Native.Decode(_batch);
        if (result != DecodeResult.Ok)
            throw new InvalidOperationException($"llama_decode failed with {result} on a batch of {_batch.TokenCount} tokens ({_active.Count} active sequences).");
        _counters.Decoded(_batch.TokenCount);
    }

    private void DropAbandoned()
    {
        // Finishing a search removes all its beams, so the index is clamped after each.
        for (var i = _active.Count - 1; i >= 0; i = Math.Min(i - 1, _active.Count - 1))
            if (_active[i].Job.IsAbandoned) Finish(i, s => s.Job.Cancel());
    }

    private void Finish(int index, Action<ActiveSequence> complete)
    {
        var s = _active[index];
        if (s.Group is { } group)
        {
            FinishGroup(group, complete);
            return;
        }
        _active.RemoveAt(index);
        ClearSequence(s.Sequence);
        _freeSlots.Push(s.Sequence);
        _cellsReserved -= s.ReservedCells;
        if (s.Prefix is not null) s.Prefix.Users--;
        if (!s.Job.IsAbandoned)
            _counters.SequenceCompleted(s.Job.Prompt.Tokens.Length, s.Job.Prompt.EvaluatedLength, s.Job.Decoder.GeneratedTokens);
        complete(s);
    }

    private void ClearSequence(int sequence)
    {
        _model.Native.MemorySequenceRemove((LLamaSeqId)sequence, -1, -1);
        _trace?.Remove(sequence, -1);
    }

    /// <summary>A failed step fails the sequences in flight; the engine starts clean and keeps serving.</summary>
    private void Recover(Exception error)
    {
        _logger.LogError(error, "Inference step failed; failing {Count} active sequence(s) and clearing the KV cache", _active.Count);
        while (_active.Count > 0) Finish(_active.Count - 1, s => s.Job.Fail(error));
        _model.Native.MemoryClear(true);
        _trace?.Clear();
        _prefixes.Clear();
        _cellsReserved = 0;
    }

    private void Shutdown()
    {
        var disposed = new ObjectDisposedException(nameof(InferenceEngine), "The inference engine was stopped.");
        while (_active.Count > 0) Finish(_active.Count - 1, s => s.Job.Fail(disposed));
        _waiting?.Fail(disposed);
        while (_queue.TryRead(out var job)) job.Fail(disposed);
        _counters.SetActive(0);
    }
}

using DarwinGrid.Inference.Engine;
using DarwinGrid.Inference.Tests.Support;

namespace DarwinGrid.Inference.Tests.Engine;

/// <summary>Batching, prefix sharing, cancellation and backpressure.</summary>
public sealed class EngineBatchingTests(TinyModelFile model) : IClassFixture<TinyModelFile>
{
    private static readonly string[] Labels = ["metal", "insulator"];

    [Fact]
    public async Task ConcurrentBatchedAnswersEqualOneAtATimeAnswers()
    {
        var compositions = BandGapPrompts.Compositions(24);
        EngineRequest[] requests = [
            .. compositions.Select(c => new EngineRequest(BandGapPrompts.Prefix, BandGapPrompts.Suffix(c), new ResponseMode.Numeric(8))),
            .. compositions.Take(8).Select(c => new EngineRequest(BandGapPrompts.Prefix, BandGapPrompts.Suffix(c), new ResponseMode.Labels(Labels))),
        ];

        EngineResult[] batched;
        await using (var engine = InferenceEngine.Start(model.Options(seqMax: 8)))
        {
            batched = await Task.WhenAll(requests.Select(r => engine.EvaluateAsync(r).AsTask()));
            Assert.True(engine.Stats.MaxActiveSequences > 1, "the requests were never batched together");
        }
        var single = new List<EngineResult>();
        await using (var engine = InferenceEngine.Start(model.Options(seqMax: 1)))
            foreach (var r in requests) single.Add(await engine.EvaluateAsync(r));

        for (var i = 0; i < requests.Length; i++)
        {
            Assert.Equal(single[i].Text, batched[i].Text);
            if (single[i].Labels is { } expected)
                for (var j = 0; j < expected.Count; j++)
                    Assert.InRange(batched[i].Labels![j].Probability, expected[j].Probability - 1e-3, expected[j].Probability + 1e-3);
        }
    }

    [Fact]
    public async Task TheSharedPrefixIsEvaluatedOnceAndEachCandidatePaysOnlyItsOwnTokens()
    {
        await using var engine = InferenceEngine.Start(model.Options(seqMax: 4));
        var compositions = BandGapPrompts.Compositions(10);
        var results = await Task.WhenAll(compositions.Select(c =>
            engine.EvaluateAsync(new(BandGapPrompts.Prefix, BandGapPrompts.Suffix(c), new ResponseMode.Numeric(6))).AsTask()));

        var prefixTokens = engine.Tokenizer.Tokenize(BandGapPrompts.Prefix).Length;
        var stats = engine.Stats;
        Assert.Equal(prefixTokens, stats.PrefixTokensEvaluated);
        for (var i = 0; i < compositions.Count; i++)
        {
            var whole = engine.Tokenizer.Tokenize(BandGapPrompts.Prefix + BandGapPrompts.Suffix(compositions[i])).Length;
            Assert.Equal(whole, results[i].Cost.PromptTokens);
            Assert.Equal(whole - prefixTokens, results[i].Cost.PromptTokensEvaluated);
        }
        Assert.Equal(results.Sum(r => r.Cost.PromptTokens), stats.PromptTokens);
        Assert.Equal(results.Sum(r => r.Cost.PromptTokensEvaluated), stats.PromptTokensEvaluated);
        Assert.True(stats.PromptTokensPerCandidateWithSharing * 3 < stats.PromptTokensPerCandidateWithoutSharing);
        // Every decoded token is accounted for: the prefix, the candidates' own prompt tokens and
        // all generated tokens (the one at the cap too: its logits tell whether the number ends there).
        Assert.Equal(stats.PrefixTokensEvaluated + stats.PromptTokensEvaluated + stats.GeneratedTokens, stats.TokensDecoded);
    }

    [Fact]
    public async Task SplittingAPromptInsideAMergedTokenChangesNothing()
    {
        // "▁Fe" is one piece: a prefix that ends in " F" shares fewer tokens than it has.
        const string prefix = "What is band gap of F";
        const string suffix = "e2O3? ->";
        await using var engine = InferenceEngine.Start(model.Options(seqMax: 2));
        var prepared = engine.Tokenizer.Prepare(prefix, suffix);
        Assert.True(prepared.SharedLength < prepared.PrefixTokens.Length);
        Assert.Equal(engine.Tokenizer.Tokenize(prefix + suffix), prepared.Tokens);

        var split = await engine.EvaluateAsync(new(prefix, suffix, new ResponseMode.Numeric(8)));
        var whole = await engine.EvaluateAsync(new("", prefix + suffix, new ResponseMode.Numeric(8)));
        Assert.Equal(whole.Text, split.Text);
        Assert.Equal(prepared.EvaluatedLength, split.Cost.PromptTokensEvaluated);
    }

    [Fact]
    public async Task ManyDistinctPrefixesCycleThroughTheCacheAndStillAnswerLikeTheWholePrompt()
    {
        await using var engine = InferenceEngine.Start(model.Options(seqMax: 4, o => o.PrefixCacheSize = 2));
        var prefixes = Enumerable.Range(0, 5).Select(i => $"Task {i}: What is band gap of given composition? ->\n").ToArray();
        var requests = prefixes.SelectMany(p => BandGapPrompts.Compositions(3).Select(c => new EngineRequest(p, c + "\nAnswer:", new ResponseMode.Numeric(5)))).ToArray();
        var shared = await Task.WhenAll(requests.Select(r => engine.EvaluateAsync(r).AsTask()));
        foreach (var (request, result) in requests.Zip(shared))
            Assert.Equal((await engine.EvaluateAsync(request with { SharedPrefix = "", Suffix = request.Prompt })).Text, result.Text);
    }

    [Fact]
    public async Task CancellingARunningRequestFreesItsSlotAndTheEngineKeepsServing()
    {
        await using var engine = InferenceEngine.Start(model.Options(seqMax: 1));
        using var cancel = new CancellationTokenSource();
        Task<EngineResult> running, next;
        using (new DecodeFreeze())
        {
            // The driver takes the request into the only slot and blocks in its first decode.
            running = engine.EvaluateAsync(new(BandGapPrompts.Prefix, BandGapPrompts.Suffix("Fe2O3"), new ResponseMode.FreeText(50)), cancel.Token).AsTask();
            await WaitUntil(() => engine.Stats.QueuedSequences == 0);
            cancel.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
            next = engine.EvaluateAsync(new(BandGapPrompts.Prefix, BandGapPrompts.Suffix("Ag2BBr"), new ResponseMode.Numeric(6))).AsTask();
        }
        // Only one slot: the second request can only finish if the cancelled one gave it back.
        var answer = await next.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.NotEmpty(answer.Text);
        var stats = engine.Stats;
        Assert.Equal(1, stats.RequestsCancelled);
        Assert.Equal(1, stats.RequestsCompleted);
        Assert.Equal(1, stats.SequencesCompleted);
        await WaitUntil(() => engine.Stats.ActiveSequences == 0);
    }

    [Fact]
    public async Task AFullQueueMakesWritersWaitUntilASlotFrees()
    {
        await using var engine = InferenceEngine.Start(model.Options(seqMax: 1, o => o.QueueCapacity = 2));
        Task<EngineResult>[] accepted;
        Task<EngineResult> waiting;
        using (new DecodeFreeze())
        {
            var first = Ask(engine, "Fe2O3");
            await WaitUntil(() => engine.Stats.QueuedSequences == 0);
            accepted = [first, Ask(engine, "FeO"), Ask(engine, "Fe3O4")];
            Assert.Equal(2, engine.Stats.QueuedSequences);
            waiting = Ask(engine, "Ag2BBr");
            await Task.Delay(200);
            Assert.False(waiting.IsCompleted);
            Assert.Equal(2, engine.Stats.QueuedSequences);
            Assert.Equal(1, engine.Stats.WritersDelayed);
        }
        var all = await Task.WhenAll(accepted.Append(waiting)).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.All(all, r => Assert.NotEmpty(r.Text));
        Assert.Equal(2, engine.Stats.MaxQueuedSequences);
        Assert.Equal(4, engine.Stats.RequestsCompleted);
    }

    [Fact]
    public async Task UnderABurstTheQueueStaysBoundedAndEveryRequestIsAnswered()
    {
        await using var engine = InferenceEngine.Start(model.Options(seqMax: 2, o => o.QueueCapacity = 4));
        var compositions = BandGapPrompts.Compositions(60);
        var results = await Task.WhenAll(compositions.Select(c => Ask(engine, c, new ResponseMode.FreeText(16))));
        var stats = engine.Stats;
        Assert.Equal(60, stats.RequestsCompleted);
        Assert.InRange(stats.MaxQueuedSequences, 1, 4);
        Assert.True(stats.WritersDelayed > 0, "the burst never filled the queue");
        Assert.Equal(2, stats.MaxActiveSequences);
        Assert.All(results, r => Assert.Equal(engine.Tokenizer.Tokenize(BandGapPrompts.Prefix).Length, r.Cost.PromptTokens - r.Cost.PromptTokensEvaluated));
    }

    [Fact]
    public async Task ARequestCancelledWhileQueuedNeverRuns()
    {
        await using var engine = InferenceEngine.Start(model.Options(seqMax: 1));
        Task<EngineResult> running;
        using (new DecodeFreeze())
        {
            running = Ask(engine, "Fe2O3");
            await WaitUntil(() => engine.Stats.QueuedSequences == 0);
            using var cancelQueued = new CancellationTokenSource();
            var queued = engine.EvaluateAsync(new(BandGapPrompts.Prefix, BandGapPrompts.Suffix("Ag2BBr"), new ResponseMode.Numeric(4)), cancelQueued.Token).AsTask();
            Assert.Equal(1, engine.Stats.QueuedSequences);
            cancelQueued.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
        }
        var answer = await running.WaitAsync(TimeSpan.FromSeconds(30));
        await WaitUntil(() => engine.Stats.QueuedSequences == 0 && engine.Stats.ActiveSequences == 0);
        var stats = engine.Stats;
        Assert.Equal(1, stats.SequencesCompleted);
        Assert.Equal(answer.Cost.PromptTokens, stats.PromptTokens);
        Assert.Equal(1, stats.RequestsCancelled);
    }

    private static Task<EngineResult> Ask(InferenceEngine engine, string composition, ResponseMode? mode = null) =>
        engine.EvaluateAsync(new(BandGapPrompts.Prefix, BandGapPrompts.Suffix(composition), mode ?? new ResponseMode.Numeric(4))).AsTask();

    // An answer that hit the cap (6) ends with a token that is never fed back; one that ended at a
    // stop token fed back every counted token (the stop itself is not counted).
    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The engine did not reach the expected state within 30 s.");
            await Task.Delay(5);
        }
    }
}

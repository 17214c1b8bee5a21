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
        // all generated tokens but the last of each answer (which is never fed back).
        Assert.Equal(stats.PrefixTokensEvaluated + stats.PromptTokensEvaluated + stats.GeneratedTokens - FinalTokensNotDecoded(results),
            stats.TokensDecoded);
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
        // A long free-text answer occupies the only slot.
        var longRunning = engine.EvaluateAsync(new("", "Fe", new ResponseMode.FreeText(3000)), cancel.Token).AsTask();
        await WaitUntil(() => engine.Stats.ActiveSequences == 1 && engine.Stats.Decodes > 3);
        Assert.False(longRunning.IsCompleted, "precondition: the long answer must still be running");

        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => longRunning);
        var next = await engine.EvaluateAsync(new(BandGapPrompts.Prefix, BandGapPrompts.Suffix("Ag2BBr"), new ResponseMode.Numeric(6)))
            .AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.NotEmpty(next.Text);
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
        using var cancel = new CancellationTokenSource();
        var blocker = engine.EvaluateAsync(new("", "Fe", new ResponseMode.FreeText(3000)), cancel.Token).AsTask();
        await WaitUntil(() => engine.Stats.ActiveSequences == 1);

        var queued = Enumerable.Range(0, 2).Select(i => engine.EvaluateAsync(new(BandGapPrompts.Prefix, BandGapPrompts.Suffix($"Fe{i + 1}O"), new ResponseMode.Numeric(4))).AsTask()).ToArray();
        await WaitUntil(() => engine.Stats.QueuedSequences == 2);
        var waiting = engine.EvaluateAsync(new(BandGapPrompts.Prefix, BandGapPrompts.Suffix("Ag2BBr"), new ResponseMode.Numeric(4))).AsTask();
        await Task.Delay(300);
        Assert.False(blocker.IsCompleted, "precondition: the blocking answer must still be running");
        Assert.Equal(2, engine.Stats.QueuedSequences);
        Assert.False(waiting.IsCompleted);
        Assert.All(queued, q => Assert.False(q.IsCompleted));

        cancel.Cancel();
        await Task.WhenAll(queued.Append(waiting)).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(2, engine.Stats.MaxQueuedSequences);
        Assert.Equal(3, engine.Stats.RequestsCompleted);
    }

    [Fact]
    public async Task ARequestCancelledWhileQueuedNeverRuns()
    {
        await using var engine = InferenceEngine.Start(model.Options(seqMax: 1));
        using var cancelBlocker = new CancellationTokenSource();
        var blocker = engine.EvaluateAsync(new("", "Fe", new ResponseMode.FreeText(3000)), cancelBlocker.Token).AsTask();
        await WaitUntil(() => engine.Stats.ActiveSequences == 1);
        using var cancelQueued = new CancellationTokenSource();
        var queued = engine.EvaluateAsync(new("", "Fe2O3", new ResponseMode.Numeric(4)), cancelQueued.Token).AsTask();
        cancelQueued.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
        cancelBlocker.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => blocker);
        await engine.EvaluateAsync(new("", "Ag2BBr", new ResponseMode.Numeric(4)));
        Assert.Equal(1, engine.Stats.SequencesCompleted);
    }

    // An answer that hit the cap (6) ends with a token that is never fed back; one that ended at a
    // stop token fed back every counted token (the stop itself is not counted).
    private static int FinalTokensNotDecoded(IEnumerable<EngineResult> results) => results.Count(r => r.Cost.GeneratedTokens == 6);

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

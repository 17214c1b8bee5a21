using System.Collections.Concurrent;
using System.Diagnostics;
using DarwinGrid.Grains.Tasks;
using Microsoft.Extensions.Logging.Abstractions;

namespace DarwinGrid.Grains.Tests.Tasks;

public sealed class BatchPipelineTests
{
    private static BatchPipeline Pipeline(long candidates, int batchSize, int maxInFlight, TimeSpan retryDelay) =>
        new(new BatchCursor(candidates, batchSize, 0, []), maxInFlight, retryDelay, NullLogger.Instance, "test|task");

    private static BatchOutcome Done((long From, int Count) range) => new(range.Count, 0, 0);

    [Fact]
    public async Task AFailedBatchIsSentAgainAfterTheRetryDelay()
    {
        var pipeline = Pipeline(candidates: 30, batchSize: 10, maxInFlight: 3, retryDelay: TimeSpan.FromMilliseconds(300));
        var clock = Stopwatch.StartNew();
        var attempts = new ConcurrentDictionary<long, List<TimeSpan>>();
        var total = 0L;

        var end = await pipeline.RunAsync(async (range, _) =>
        {
            var times = attempts.GetOrAdd(range.From, _ => []);
            lock (times)
                times.Add(clock.Elapsed);
            await Task.Yield();
            if (range.From == 10 && times.Count == 1)
                throw new IOException("the store is away");
            return Done(range);
        }, () => true, outcome => total += outcome.Done, CancellationToken.None);

        Assert.Equal(PipelineEnd.AllRecorded, end);
        Assert.Equal(30, total);
        Assert.Equal(2, attempts[10].Count);
        Assert.True(attempts[10][1] - attempts[10][0] >= TimeSpan.FromMilliseconds(250), $"retried after {(attempts[10][1] - attempts[10][0]).TotalMilliseconds} ms");
        Assert.Single(attempts[0]);
        Assert.Single(attempts[20]);
    }

    [Fact]
    public async Task CancellingStopsDispatchAndReleasesTheBatchesInFlight()
    {
        var pipeline = Pipeline(candidates: 100, batchSize: 10, maxInFlight: 2, retryDelay: TimeSpan.FromMilliseconds(10));
        using var stop = new CancellationTokenSource();
        var sent = new ConcurrentBag<long>();

        var run = pipeline.RunAsync(async (range, token) =>
        {
            sent.Add(range.From);
            if (sent.Count == 2)
                await stop.CancelAsync();
            await Task.Delay(Timeout.Infinite, token);
            return Done(range);
        }, () => true, _ => Assert.Fail("nothing is recorded"), stop.Token);

        Assert.Equal(PipelineEnd.Stopped, await run.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal([0L, 10L], sent.Order());
        Assert.Equal(0, pipeline.InFlight);
        Assert.Equal(0, pipeline.Cursor.InFlight);
        Assert.Equal(0, pipeline.Cursor.Watermark);
        Assert.Equal(0, pipeline.Cursor.TakeNext()); // a resume sends the released batches again
    }

    [Fact]
    public async Task AModelThatCannotLoadEndsTheRunAtOnce()
    {
        var pipeline = Pipeline(candidates: 40, batchSize: 10, maxInFlight: 4, retryDelay: TimeSpan.FromMinutes(5));
        var never = new TaskCompletionSource<BatchOutcome>();

        var end = await pipeline.RunAsync(async (range, _) =>
        {
            await Task.Yield();
            if (range.From == 20)
                throw new ModelUnloadableException("Model version 'x' cannot be loaded: not a LLaMA GGUF");
            return await never.Task; // the others hang: the run must not wait for them, nor retry
        }, () => true, _ => { }, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(PipelineEnd.ModelUnloadable, end);
        Assert.Equal("Model version 'x' cannot be loaded: not a LLaMA GGUF", pipeline.FailureReason);
    }

    [Fact]
    public async Task OnlyEveryBatchRecordedWhileDispatchingCompletesTheRun()
    {
        var pipeline = Pipeline(candidates: 25, batchSize: 10, maxInFlight: 3, retryDelay: TimeSpan.FromMilliseconds(10));
        var running = true;
        var recorded = 0;

        // Paused while the batches run: they drain and are recorded, but the run ends Stopped.
        var end = await pipeline.RunAsync(async (range, _) =>
        {
            running = false;
            await Task.Delay(20);
            return Done(range);
        }, () => running, _ => recorded++, CancellationToken.None);
        Assert.Equal(PipelineEnd.Stopped, end);
        Assert.Equal(3, recorded);
        Assert.True(pipeline.Cursor.AllRecorded);

        // Resumed: nothing is left to send, and the run completes without sending anything.
        running = true;
        end = await pipeline.RunAsync((_, _) => throw new InvalidOperationException("nothing is sent"), () => running, _ => recorded++, CancellationToken.None);
        Assert.Equal(PipelineEnd.AllRecorded, end);
        Assert.Equal(3, recorded);
    }

    [Fact]
    public async Task ARunWithABatchStillFailingDoesNotComplete()
    {
        var pipeline = Pipeline(candidates: 20, batchSize: 10, maxInFlight: 2, retryDelay: TimeSpan.FromMilliseconds(20));
        using var stop = new CancellationTokenSource();
        var failures = 0;

        var end = await pipeline.RunAsync(async (range, _) =>
        {
            await Task.Yield();
            if (range.From == 10)
            {
                if (Interlocked.Increment(ref failures) == 5)
                    await stop.CancelAsync();
                throw new IOException("down");
            }
            return Done(range);
        }, () => true, _ => { }, stop.Token).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(PipelineEnd.Stopped, end);
        Assert.Equal(5, failures);
        Assert.False(pipeline.Cursor.AllRecorded);
        Assert.Equal(1, pipeline.Cursor.Watermark);
        Assert.Equal(1, pipeline.Cursor.TakeNext());
    }
}

using DarwinGrid.Grains.GrainSupport;

namespace DarwinGrid.Grains.Tests.GrainSupport;

public sealed class StateWriterTests
{
    /// <summary>A store whose writes finish when the test says so, and that records what each write stored.</summary>
    private sealed class GatedStore
    {
        private readonly Lock _gate = new();
        private readonly List<TaskCompletionSource> _writes = [];
        private int _running;

        public int Value; // the "state": changed by callers, stored by writes
        public List<int> Stored { get; } = [];
        public int MostAtOnce { get; private set; }

        public int Started { get { lock (_gate) return _writes.Count; } }

        public int MostStored() { lock (_gate) return Stored.Max(); }

        public async Task WriteAsync()
        {
            TaskCompletionSource done;
            lock (_gate)
            {
                MostAtOnce = Math.Max(MostAtOnce, ++_running);
                done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _writes.Add(done);
            }
            var value = Volatile.Read(ref Value);
            try
            {
                await done.Task;
                lock (_gate)
                    Stored.Add(value);
            }
            finally
            {
                lock (_gate)
                    _running--;
            }
        }

        public void Finish(int write, Exception? error = null)
        {
            TaskCompletionSource done;
            lock (_gate)
                done = _writes[write];
            if (error is null)
                done.SetResult();
            else
                done.SetException(error);
        }

        public async Task WaitForStartsAsync(int count)
        {
            while (Started < count)
                await Task.Delay(5);
        }
    }

    [Fact]
    public async Task CallersDuringAWriteShareOneWriteThatStartsWhenItEnds()
    {
        var store = new GatedStore();
        var writer = new StateWriter(store.WriteAsync);

        var first = writer.WriteAsync();
        store.Value = 1;
        var second = writer.WriteAsync();
        store.Value = 2;
        var third = writer.WriteAsync();

        Assert.Same(second, third);
        await Task.Delay(50);
        Assert.Equal(1, store.Started); // nothing overlaps the write in flight
        store.Finish(0);
        await first;
        Assert.False(second.IsCompleted);
        await store.WaitForStartsAsync(2);
        store.Finish(1);
        await third;
        Assert.Equal([0, 2], store.Stored); // the shared write stored the last caller's change
        Assert.Equal(2, store.Started);
    }

    [Fact]
    public async Task AFailedWriteFailsItsCallersAndTheNextCallWritesAgain()
    {
        var store = new GatedStore();
        var writer = new StateWriter(store.WriteAsync);

        var failing = writer.WriteAsync();
        store.Finish(0, new IOException("disk full"));
        var error = await Assert.ThrowsAsync<IOException>(() => failing);
        Assert.Equal("disk full", error.Message);

        store.Value = 5;
        var retry = writer.WriteAsync();
        store.Finish(1);
        await retry;
        Assert.Equal([5], store.Stored);
    }

    [Fact]
    public async Task AWriteQueuedBehindAFailingOneStillWrites()
    {
        var store = new GatedStore();
        var writer = new StateWriter(store.WriteAsync);

        var failing = writer.WriteAsync();
        store.Value = 7;
        var queued = writer.WriteAsync();
        store.Finish(0, new InvalidOperationException("conflict"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        await store.WaitForStartsAsync(2);
        store.Finish(1);
        await queued;
        Assert.Equal([7], store.Stored);
    }

    [Fact]
    public async Task ManyConcurrentWritersNeverOverlapAndEachFindsItsChangeStored()
    {
        var store = new GatedStore();
        var writer = new StateWriter(store.WriteAsync);
        using var finishing = new CancellationTokenSource();
        // Finishes each write as soon as it starts, from another thread, until the callers are done.
        var finisher = Task.Run(async () =>
        {
            var next = 0;
            while (!finishing.IsCancellationRequested)
            {
                if (store.Started > next)
                    store.Finish(next++);
                else
                    await Task.Delay(1);
            }
        });

        var callers = Enumerable.Range(1, 200).Select(i => Task.Run(async () =>
        {
            Interlocked.Increment(ref store.Value);
            var seen = Volatile.Read(ref store.Value);
            await writer.WriteAsync();
            var stored = store.MostStored();
            Assert.True(stored >= seen, $"caller {i} saw {seen}, the store holds {stored}");
        })).ToList();
        await Task.WhenAll(callers);
        await finishing.CancelAsync();
        await finisher;

        Assert.Equal(1, store.MostAtOnce);
        // How many writes 200 callers share depends on the machine's load; CallersDuringAWriteShareOneWriteThatStartsWhenItEnds pins the coalescing down.
        Assert.Equal(200, store.Stored[^1]);
        Assert.Equal(store.Stored.Order(), store.Stored); // writes finish in the order they started
    }
}

using DarwinGrid.Grains.GrainSupport;

namespace DarwinGrid.Grains.Tests.GrainSupport;

public sealed class StatusFeedTests
{
    private sealed record Status(int Step, bool Finished);

    [Fact]
    public async Task ASignalWakesTheWatcherLongBeforeThePollAndTheStreamEndsWithTheLastStatus()
    {
        var feed = new StatusFeed();
        var current = new Status(0, false);
        var seen = new List<Status>();
        var watching = Task.Run(async () =>
        {
            await foreach (var status in feed.WatchAsync(() => Volatile.Read(ref current), (a, b) => a.Step != b.Step || a.Finished != b.Finished,
                s => s.Finished, TimeSpan.FromMinutes(5)))
            {
                lock (seen)
                    seen.Add(status);
            }
        });
        await WaitUntilAsync(() => seen.Count == 1);
        Volatile.Write(ref current, new Status(1, false));
        feed.Signal();
        await WaitUntilAsync(() => seen.Count == 2);
        Volatile.Write(ref current, new Status(2, true));
        feed.Signal();
        await watching.WaitAsync(TimeSpan.FromSeconds(10)); // the poll is 5 minutes: only the signals woke it
        Assert.Equal([0, 1, 2], seen.Select(s => s.Step));
    }

    [Fact]
    public async Task AStatusThatDoesNotDifferIsNotSentAgain()
    {
        var feed = new StatusFeed();
        var step = 0;
        using var stop = new CancellationTokenSource();
        var seen = new List<int>();
        var watching = Task.Run(async () =>
        {
            await foreach (var status in feed.WatchAsync(() => new Status(Volatile.Read(ref step), false), (a, b) => a.Step != b.Step,
                _ => false, TimeSpan.FromMilliseconds(10), stop.Token))
            {
                lock (seen)
                    seen.Add(status.Step);
            }
        });
        await WaitUntilAsync(() => seen.Count == 1);
        await Task.Delay(200); // ~20 polls of an unchanged status
        Volatile.Write(ref step, 3);
        await WaitUntilAsync(() => seen.Count == 2);
        await stop.CancelAsync();
        await watching.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([0, 3], seen);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(5);
        }
    }
}

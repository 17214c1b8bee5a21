using DarwinGrid.Grains.Tasks;

namespace DarwinGrid.Grains.Tests.Screening;

public sealed class BatchCursorTests
{
    [Fact]
    public void BatchesFinishingOutOfOrderMoveTheWatermarkOnlyOverRecordedOnes()
    {
        var cursor = new BatchCursor(candidateCount: 250, batchSize: 100, watermark: 0, doneAbove: []);
        Assert.Equal(3, cursor.BatchCount);
        Assert.Equal((200L, 50), cursor.Range(2));
        Assert.Equal(0, cursor.TakeNext());
        Assert.Equal(1, cursor.TakeNext());
        Assert.Equal(2, cursor.TakeNext());
        Assert.Null(cursor.TakeNext());
        cursor.Recorded(2);
        Assert.Equal(0, cursor.Watermark);
        cursor.Release(1);
        Assert.Equal(1, cursor.TakeNext()); // the failed batch comes back
        cursor.Recorded(0);
        Assert.Equal(1, cursor.Watermark);
        cursor.Recorded(1);
        Assert.Equal(3, cursor.Watermark);
        Assert.True(cursor.AllRecorded);
    }

    [Fact]
    public void ACursorRebuiltFromItsStoredFormSkipsWhatWasRecorded()
    {
        var cursor = new BatchCursor(candidateCount: 1000, batchSize: 100, watermark: 3, doneAbove: [5, 7, 42]);
        var taken = new List<long>();
        while (cursor.TakeNext() is { } batch)
            taken.Add(batch);
        Assert.Equal([3L, 4, 6, 8, 9], taken);
        Assert.Equal([5L, 7], cursor.DoneAbove);
    }
}

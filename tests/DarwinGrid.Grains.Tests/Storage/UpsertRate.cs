using System.Diagnostics;
using DarwinGrid.Grains.Storage;

namespace DarwinGrid.Grains.Tests.Storage;

/// <summary>The write-rate measurement both vendors' scale tests print: every row inserted, then every row upserted again.</summary>
internal static class UpsertRate
{
    public static async Task<string> MeasureAsync(IResultStore store, IReadOnlyList<ResultRow> data, int batch)
    {
        var watch = Stopwatch.StartNew();
        foreach (var chunk in data.Chunk(batch))
            await store.UpsertResultsAsync("rate", chunk);
        var insert = watch.Elapsed;
        watch.Restart();
        foreach (var chunk in data.Chunk(batch))
            await store.UpsertResultsAsync("rate", chunk); // every row now an update of an existing key
        var update = watch.Elapsed;

        Assert.Equal(data.Count, await store.CountResultRowsAsync("rate"));
        return $"batch {batch,5}: insert {data.Count / insert.TotalSeconds,9:N0} rows/s ({insert.TotalSeconds:F2} s), " +
               $"re-upsert {data.Count / update.TotalSeconds,9:N0} rows/s ({update.TotalSeconds:F2} s)";
    }
}

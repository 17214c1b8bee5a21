namespace DarwinGrid.Grains.Storage;

/// <summary>Options of <see cref="SqliteResultStore"/>.</summary>
public sealed class SqliteResultStoreOptions : SqliteConnectionOptions
{
    /// <summary>
    /// Rows written per transaction. A call with more rows is split; every write is an idempotent
    /// upsert, so a retry after a failure in the middle completes it without duplicates.
    /// </summary>
    public int WriteBatchSize { get; set; } = 1000;
}

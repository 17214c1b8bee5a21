using System.Data.Common;

namespace DarwinGrid.Grains.Storage;

/// <summary>
/// What differs between SQLite and PostgreSQL: a few SQL spellings, how a slice of rows is upserted,
/// which failures are worth retrying, the schema scripts and the lock a schema change takes.
/// Everything else (the statements of the stores, LEFT JOIN, CASE, COALESCE, NULLS LAST,
/// LIMIT/OFFSET, @parameters, ON CONFLICT, RETURNING) is common to both and written once.
/// </summary>
internal abstract class SqlDialect
{
    /// <summary>The vendor's name, for messages ("SQLite", "PostgreSQL").</summary>
    public abstract string Name { get; }

    /// <summary>
    /// True when the provider's async methods complete synchronously (Microsoft.Data.Sqlite): work
    /// then runs on the thread pool, so a grain never blocks its scheduler on a busy lock.
    /// </summary>
    public abstract bool CompletesSynchronously { get; }

    /// <summary>A condition: <paramref name="column"/> is one of the values bound to <paramref name="parameter"/>.</summary>
    public abstract string IsIn(string column, string parameter);

    /// <summary>The value to bind for <see cref="IsIn"/>.</summary>
    public abstract object ListValue<T>(IEnumerable<T> values);

    /// <summary>A case-sensitive substring test.</summary>
    public abstract string Contains(string column, string parameter);

    /// <summary>
    /// Appended to a SELECT of the campaigns row inside a write transaction: where rows can be locked,
    /// a share lock, so a concurrent campaign delete waits for the write instead of orphaning its rows.
    /// </summary>
    public abstract string KeyShareLock { get; }

    /// <summary>Begins a write transaction (SQLite: BEGIN IMMEDIATE, taking the write lock up front instead of failing to upgrade later).</summary>
    public abstract ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Writes every row of <paramref name="upsert"/> inside <paramref name="transaction"/>.</summary>
    public abstract Task UpsertAsync(DbConnection connection, DbTransaction transaction, BulkUpsert upsert, CancellationToken cancellationToken);

    /// <summary>Failures a later attempt can get past (the server or the connection, not the statement).</summary>
    public abstract bool IsTransient(Exception exception);

    /// <summary>The table of applied schema versions, created before any step runs.</summary>
    public abstract string VersionTableSql { get; }

    /// <summary>
    /// Runs once per migration on the open connection, outside the migration's transaction
    /// (SQLite: WAL mode, which cannot change inside one).
    /// </summary>
    public virtual Task PrepareForMigrationAsync(DbConnection connection, string database, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>A statement that serialises schema changes of concurrent starters, run first in the migration's transaction; null when the transaction already does.</summary>
    public abstract string? SchemaLockSql { get; }

    /// <summary>The value bound for <c>schema_versions.applied_at</c>.</summary>
    public abstract object AppliedAt(DateTimeOffset now);

    /// <summary>The schema steps of the results store.</summary>
    public abstract IReadOnlyList<SchemaMigration> ResultsMigrations { get; }

    /// <summary>The schema steps of the grain storage.</summary>
    public abstract IReadOnlyList<SchemaMigration> GrainStateMigrations { get; }
}

using System.Globalization;
using DarwinGrid.Domain.Files;
using Microsoft.Data.Sqlite;

namespace DarwinGrid.Grains.Storage;

/// <summary>
/// Opens pooled connections to one SQLite file with the per-connection settings every store needs,
/// and runs work off the caller's thread: Microsoft.Data.Sqlite's async methods complete
/// synchronously, and a grain must not block its scheduler on a busy lock.
/// </summary>
internal sealed class SqliteDatabase
{
    private readonly string _connectionString;
    private readonly string _connectionPragmas;

    public SqliteDatabase(SqliteConnectionOptions options)
    {
        _connectionString = options.BuildConnectionString();
        var busyTimeoutMs = (int)Math.Min(int.MaxValue, options.BusyTimeout.TotalMilliseconds);
        // Per-connection settings (WAL is a property of the file, set by the migrator). Sorts for
        // paged queries use temp b-trees; keeping them in memory avoids temp files.
        _connectionPragmas = string.Create(CultureInfo.InvariantCulture,
            $"PRAGMA busy_timeout = {busyTimeoutMs}; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -{options.CacheSizeKiB}; PRAGMA temp_store = MEMORY;");
        DataSource = new SqliteConnectionStringBuilder(_connectionString).DataSource;
        // Created 600 before SQLite opens it (its -wal and -shm take the database's mode); a
        // database from before this check is narrowed, with the journal files it left.
        if (Path.IsPathRooted(DataSource))
        {
            PrivateFiles.Restrict(DataSource);
            foreach (var journal in new[] { DataSource + "-wal", DataSource + "-shm" }.Where(File.Exists))
                PrivateFiles.Restrict(journal);
        }
    }

    public string DataSource { get; }

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            Execute(connection, _connectionPragmas);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public Task<T> RunAsync<T>(Func<SqliteConnection, T> work, CancellationToken cancellationToken = default) =>
        Task.Run(() =>
        {
            using var connection = Open();
            return work(connection);
        }, cancellationToken);

    public Task RunAsync(Action<SqliteConnection> work, CancellationToken cancellationToken = default) =>
        Task.Run(() =>
        {
            using var connection = Open();
            work(connection);
        }, cancellationToken);

    /// <summary>Runs <paramref name="work"/> in one write transaction (BEGIN IMMEDIATE: takes the write lock up front).</summary>
    public Task<T> InTransactionAsync<T>(Func<SqliteConnection, SqliteTransaction, T> work, CancellationToken cancellationToken = default) =>
        RunAsync(connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            var result = work(connection, transaction);
            transaction.Commit();
            return result;
        }, cancellationToken);

    public static int Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command.ExecuteNonQuery();
    }
}

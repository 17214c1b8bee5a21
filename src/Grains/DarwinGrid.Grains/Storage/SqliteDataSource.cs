using System.Data.Common;
using System.Globalization;
using DarwinGrid.Domain.Files;
using Microsoft.Data.Sqlite;

namespace DarwinGrid.Grains.Storage;

/// <summary>
/// Pooled connections to one SQLite file, each opened with the per-connection settings every store
/// needs (what <c>NpgsqlDataSource</c> is for PostgreSQL).
/// </summary>
internal sealed class SqliteDataSource : DbDataSource
{
    private readonly string _connectionString;
    private readonly string _connectionPragmas;

    public SqliteDataSource(SqliteConnectionOptions options)
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

    /// <summary>The database file's path.</summary>
    public string DataSource { get; }

    public override string ConnectionString => _connectionString;

    protected override DbConnection CreateDbConnection() => new SqliteConnection(_connectionString);

    protected override DbConnection OpenDbConnection()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = _connectionPragmas;
            command.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    protected override ValueTask<DbConnection> OpenDbConnectionAsync(CancellationToken cancellationToken = default) => new(OpenDbConnection());
}

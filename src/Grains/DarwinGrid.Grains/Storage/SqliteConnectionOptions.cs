using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace DarwinGrid.Grains.Storage;

/// <summary>
/// Where a SQLite store lives: either a full <see cref="ConnectionString"/> or a
/// <see cref="DatabasePath"/> (exactly one). The file is opened in WAL mode so readers never block
/// the single writer, and every connection waits up to <see cref="BusyTimeout"/> for a lock.
/// </summary>
public abstract class SqliteConnectionOptions
{
    /// <summary>A Microsoft.Data.Sqlite connection string, e.g. <c>Data Source=/var/darwin/grid.db</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Path of the database file; created (with its directory) when missing.</summary>
    public string? DatabasePath { get; set; }

    /// <summary>How long a statement waits for another connection's write lock before failing.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Page cache per connection in KiB. SQLite's default (2 MiB) makes inserts into million-row
    /// indexes disk-bound; a few tens of MiB keep their upper levels in memory.
    /// </summary>
    public int CacheSizeKiB { get; set; } = 32 * 1024;

    /// <summary>Checks the options and returns the connection string every connection uses.</summary>
    public string BuildConnectionString()
    {
        var hasConnectionString = !string.IsNullOrWhiteSpace(ConnectionString);
        var hasPath = !string.IsNullOrWhiteSpace(DatabasePath);
        if (hasConnectionString == hasPath)
            throw new InvalidOperationException(
                $"{GetType().Name}: set exactly one of {nameof(ConnectionString)} and {nameof(DatabasePath)} " +
                $"(got {(hasConnectionString ? "both" : "neither")}).");
        if (CacheSizeKiB < 0)
            throw new InvalidOperationException($"{GetType().Name}: {nameof(CacheSizeKiB)} must not be negative, got {CacheSizeKiB}.");
        if (BusyTimeout <= TimeSpan.Zero)
            throw new InvalidOperationException($"{GetType().Name}: {nameof(BusyTimeout)} must be positive, got {BusyTimeout}.");

        var builder = hasConnectionString
            ? new SqliteConnectionStringBuilder(ConnectionString)
            : new SqliteConnectionStringBuilder { DataSource = Path.GetFullPath(DatabasePath!) };
        if (builder.DataSource is "" or ":memory:" || builder.Mode == SqliteOpenMode.Memory)
            throw new InvalidOperationException(
                $"{GetType().Name}: an in-memory SQLite database is not supported (each pooled connection would see its own); use a file.");
        builder.Pooling = true;
        // Microsoft.Data.Sqlite retries SQLITE_BUSY until the command timeout; keep it in step with busy_timeout.
        builder.DefaultTimeout = Math.Max(1, (int)Math.Ceiling(BusyTimeout.TotalSeconds));
        return builder.ToString();
    }

    /// <summary>The store's connections to the file, in the SQLite dialect.</summary>
    internal SqlDatabase OpenDatabase(ILogger logger)
    {
        var source = new SqliteDataSource(this);
        return new SqlDatabase(SqliteDialect.Instance, source, $"'{source.DataSource}'", TimeSpan.Zero, logger);
    }
}

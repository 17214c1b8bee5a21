using Microsoft.Extensions.Logging;
using Npgsql;

namespace DarwinGrid.Grains.Storage;

/// <summary>
/// Where a PostgreSQL store lives (an Npgsql connection string) and how long it rides out a server
/// that is unreachable or restarting before an operation fails.
/// </summary>
public abstract class PostgreSqlConnectionOptions
{
    /// <summary>An Npgsql connection string, e.g. <c>Host=db;Port=5432;Database=darwingrid;Username=darwin;Password=...</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// How long an operation that failed for a transient reason (connection refused or lost, server
    /// shutting down or starting up, deadlock) is retried, backing off up to two seconds between
    /// attempts. Every write is idempotent, so a retry never duplicates anything.
    /// </summary>
    public TimeSpan TransientRetryWindow { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Checks the options and returns the connection string every connection uses.</summary>
    public string BuildConnectionString()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
            throw new InvalidOperationException($"{GetType().Name}: {nameof(ConnectionString)} is not set (an Npgsql connection string such as 'Host=db;Database=darwingrid;Username=darwin').");
        if (TransientRetryWindow < TimeSpan.Zero)
            throw new InvalidOperationException($"{GetType().Name}: {nameof(TransientRetryWindow)} must not be negative, got {TransientRetryWindow}.");
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(ConnectionString);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"{GetType().Name}: the connection string is not valid for Npgsql: {e.Message}", e);
        }
        if (string.IsNullOrWhiteSpace(builder.Host))
            throw new InvalidOperationException($"{GetType().Name}: the connection string names no Host.");
        return builder.ConnectionString;
    }

    /// <summary>host:port/database, for messages (never the password).</summary>
    public string Describe()
    {
        var builder = new NpgsqlConnectionStringBuilder(BuildConnectionString());
        return $"{builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}";
    }

    /// <summary>The store's pooled connections to the server, in the PostgreSQL dialect.</summary>
    internal SqlDatabase OpenDatabase(ILogger logger) =>
        new(PostgreSqlDialect.Instance, NpgsqlDataSource.Create(BuildConnectionString()), Describe(), TransientRetryWindow, logger);
}

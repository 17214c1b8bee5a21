using System.Diagnostics;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace DarwinGrid.Grains.Storage;

/// <summary>
/// A pooled Npgsql data source for one store, and the retry rule every operation goes through: an
/// operation that failed for a transient reason (server down or restarting, connection lost,
/// deadlock) runs again from the start, backing off, for up to
/// <see cref="PostgreSqlConnectionOptions.TransientRetryWindow"/>. Operations must therefore be
/// idempotent, which every store write is (upserts by key; grain writes recognise their own ETag).
/// </summary>
internal sealed class PostgreSqlDatabase : IAsyncDisposable
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(2);

    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeSpan _retryWindow;
    private readonly ILogger _logger;

    public PostgreSqlDatabase(PostgreSqlConnectionOptions options, ILogger logger)
    {
        _dataSource = NpgsqlDataSource.Create(options.BuildConnectionString());
        _retryWindow = options.TransientRetryWindow;
        _logger = logger;
        Description = options.Describe();
    }

    /// <summary>host:port/database, for messages.</summary>
    public string Description { get; }

    /// <summary>Runs <paramref name="work"/> on a pooled connection, retrying transient failures.</summary>
    public Task<T> RunAsync<T>(string what, Func<NpgsqlConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        RetryAsync(what, async () =>
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            return await work(connection, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>Runs <paramref name="work"/> in one transaction (READ COMMITTED), retrying the whole transaction on transient failures.</summary>
    public Task<T> InTransactionAsync<T>(string what, Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        RunAsync(what, async (connection, ct) =>
        {
            await using var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
            var result = await work(connection, transaction, ct).ConfigureAwait(false);
            await transaction.CommitAsync(ct).ConfigureAwait(false);
            return result;
        }, cancellationToken);

    private async Task<T> RetryAsync<T>(string what, Func<Task<T>> attempt, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var delay = FirstDelay;
        for (var attempts = 1; ; attempts++)
        {
            try
            {
                return await attempt().ConfigureAwait(false);
            }
            catch (Exception e) when (IsTransient(e) && !cancellationToken.IsCancellationRequested
                                      && Stopwatch.GetElapsedTime(started) + delay < _retryWindow)
            {
                if (attempts == 1)
                    _logger.LogWarning("PostgreSQL {Database}: {What} failed ({Error}); retrying for up to {Window} s",
                        Description, what, e.Message, _retryWindow.TotalSeconds);
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(MaxDelay.Ticks, delay.Ticks * 2));
            }
            catch (Exception e) when (e is NpgsqlException && !cancellationToken.IsCancellationRequested)
            {
                throw new PostgreSqlStorageException($"PostgreSQL {Description}: {what} failed after {attempts} attempt(s): {e.Message}", e);
            }
        }
    }

    /// <summary>Failures that a later attempt can get past: the server or the connection, not the statement.</summary>
    public static bool IsTransient(Exception e) => e switch
    {
        PostgresException p => p.SqlState is "57P01" or "57P02" or "57P03" // admin/crash shutdown, cannot connect now
            or "40001" or "40P01" // serialization failure, deadlock
            || p.SqlState.StartsWith("08", StringComparison.Ordinal) // connection exception
            || p.SqlState.StartsWith("53", StringComparison.Ordinal), // insufficient resources (too many connections)
        NpgsqlException n => n.IsTransient || n.InnerException is IOException or SocketException or TimeoutException,
        _ => false,
    };

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}

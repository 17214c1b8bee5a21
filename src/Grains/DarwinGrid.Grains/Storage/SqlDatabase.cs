using System.Data.Common;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace DarwinGrid.Grains.Storage;

/// <summary>
/// The pooled connections of one store and the rule every operation goes through: an operation that
/// failed for a transient reason (<see cref="SqlDialect.IsTransient"/>: server down or restarting,
/// connection lost, deadlock) runs again from the start, backing off, for up to the retry window;
/// any other database failure becomes a <see cref="StorageException"/> naming the operation and the
/// database. Operations must therefore be idempotent, which every store write is (upserts by key;
/// grain writes recognise their own ETag).
/// </summary>
internal sealed class SqlDatabase(SqlDialect dialect, DbDataSource source, string description, TimeSpan retryWindow, ILogger logger) : IAsyncDisposable, IDisposable
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(2);

    public SqlDialect Dialect => dialect;

    /// <summary>Which database, for messages: a SQLite file's path in quotes, or PostgreSQL's host:port/database (never a password).</summary>
    public string Description => description;

    /// <summary>Runs <paramref name="work"/> on a pooled connection, retrying transient failures.</summary>
    public Task<T> RunAsync<T>(string what, Func<DbConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        Task<T> Run() => RetryAsync(what, async () =>
        {
            await using var connection = await source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            return await work(connection, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
        return dialect.CompletesSynchronously ? Task.Run(Run, cancellationToken) : Run();
    }

    /// <summary>Runs <paramref name="work"/> in one write transaction, retrying the whole transaction on transient failures.</summary>
    public Task<T> InTransactionAsync<T>(string what, Func<DbConnection, DbTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        RunAsync(what, async (connection, ct) =>
        {
            await using var transaction = await dialect.BeginWriteAsync(connection, ct).ConfigureAwait(false);
            var result = await work(connection, transaction, ct).ConfigureAwait(false);
            await transaction.CommitAsync(ct).ConfigureAwait(false);
            return result;
        }, cancellationToken);

    /// <summary>Applies the missing schema steps of <paramref name="component"/> and returns its version afterwards.</summary>
    public Task<int> MigrateAsync(string component, IReadOnlyList<SchemaMigration> migrations, CancellationToken cancellationToken) =>
        RunAsync($"{component} schema migration", (connection, ct) => SchemaMigrator.MigrateAsync(connection, dialect, description, component, migrations, ct), cancellationToken);

    /// <summary>The applied schema version of <paramref name="component"/> (0 when none).</summary>
    public Task<int> ReadSchemaVersionAsync(string component, CancellationToken cancellationToken = default) =>
        RunAsync($"{component} schema version", (connection, ct) => SchemaMigrator.ReadVersionAsync(connection, null, component, ct), cancellationToken);

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
            catch (Exception e) when (dialect.IsTransient(e) && !cancellationToken.IsCancellationRequested
                                      && Stopwatch.GetElapsedTime(started) + delay < retryWindow)
            {
                if (attempts == 1)
                    logger.LogWarning("{Vendor} {Database}: {What} failed ({Error}); retrying for up to {Window} s",
                        dialect.Name, description, what, e.Message, retryWindow.TotalSeconds);
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(MaxDelay.Ticks, delay.Ticks * 2));
            }
            catch (DbException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw new StorageException($"{dialect.Name} {description}: {what} failed after {attempts} attempt(s): {e.Message}", e);
            }
        }
    }

    public ValueTask DisposeAsync() => source.DisposeAsync();

    public void Dispose() => source.Dispose();
}

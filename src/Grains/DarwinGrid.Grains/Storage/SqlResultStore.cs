using System.Data.Common;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace DarwinGrid.Grains.Storage;

/// <summary>
/// <see cref="IResultStore"/> over ADO.NET, one implementation for SQLite (embedded) and PostgreSQL
/// (clusters, several silos writing at once); the vendors differ only in their <see cref="SqlDialect"/>
/// and schema scripts (docs/storage.md). Each slice of at most the write batch size is one
/// transaction: idempotent upserts by key, rows sorted by key so concurrent writers lock in the same
/// order, and a key repeated inside a slice keeps its last row. Transient failures retry the slice.
/// The partial files hold one area each; <see cref="SqliteResultStore"/> and
/// <see cref="PostgreSqlResultStore"/> only open the database.
/// </summary>
public abstract partial class SqlResultStore : IResultStore, IAsyncDisposable, IDisposable
{
    private readonly SqlDatabase _database;
    private readonly SqlDialect _dialect;
    private readonly int _writeBatchSize;
    private readonly ILogger _logger;
    private readonly AsyncOnce _schema;

    private protected SqlResultStore(Func<ILogger, SqlDatabase> open, int writeBatchSize, ILogger logger)
    {
        if (writeBatchSize < 1)
            throw new ArgumentException($"WriteBatchSize must be at least 1, got {writeBatchSize}.", "options");
        _logger = logger;
        _database = open(logger);
        _dialect = _database.Dialect;
        _writeBatchSize = writeBatchSize;
        _schema = new AsyncOnce(async ct =>
        {
            var version = await _database.MigrateAsync(SchemaScripts.Results, _dialect.ResultsMigrations, ct).ConfigureAwait(false);
            _logger.LogInformation("Results store: {Vendor} {Database}, schema version {Version}", _dialect.Name, _database.Description, version);
        });
    }

    internal SqlDatabase Database => _database;

    public Task InitializeAsync(CancellationToken cancellationToken = default) => _schema.EnsureAsync(cancellationToken);

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    /// <summary>Containers disposed synchronously (a test's service provider) dispose the store this way.</summary>
    public void Dispose() => _database.Dispose();

    /// <summary>Runs <paramref name="work"/> with the campaign's ref; for a campaign never written to it returns <paramref name="empty"/> without running.</summary>
    private async Task<T> WithExistingCampaignAsync<T>(string campaignId, string what, T empty,
        Func<DbConnection, long, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        RequireCampaignId(campaignId);
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        return await _database.RunAsync($"{what} of campaign '{campaignId}'", async (connection, ct) =>
            await FindCampaignRefAsync(connection, null, campaignId, ct).ConfigureAwait(false) is { } campaignRef
                ? await work(connection, campaignRef, ct).ConfigureAwait(false)
                : empty, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes <paramref name="rows"/> in slices of at most the batch size, one transaction each;
    /// <paramref name="write"/> gets the campaign's ref (created on first write; 0 without a campaign) and one slice.
    /// </summary>
    private async Task WriteInBatchesAsync<T>(string? campaignId, string what, IReadOnlyList<T> rows,
        Func<DbConnection, DbTransaction, long, ArraySegment<T>, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (campaignId is not null)
            RequireCampaignId(campaignId);
        if (rows.Count == 0)
            return;
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        var all = rows as T[] ?? [.. rows];
        for (var start = 0; start < all.Length; start += _writeBatchSize)
        {
            var slice = new ArraySegment<T>(all, start, Math.Min(_writeBatchSize, all.Length - start));
            await _database.InTransactionAsync($"{what}{(campaignId is null ? "" : $" of campaign '{campaignId}'")}", async (connection, transaction, ct) =>
            {
                var campaignRef = campaignId is null ? 0 : await EnsureCampaignRefAsync(connection, transaction, campaignId, ct).ConfigureAwait(false);
                await write(connection, transaction, campaignRef, slice, ct).ConfigureAwait(false);
                return 0;
            }, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The campaign's ref. Inside a write transaction the campaigns row is share-locked (where the dialect
    /// can), so a concurrent <see cref="DeleteCampaignAsync"/> waits for the write to commit instead of leaving its rows orphaned.
    /// </summary>
    private async Task<long?> FindCampaignRefAsync(DbConnection connection, DbTransaction? transaction, string campaignId, CancellationToken cancellationToken)
    {
        var sql = $"SELECT campaign_ref FROM campaigns WHERE campaign_id = @id{(transaction is null ? "" : _dialect.KeyShareLock)};";
        var found = await connection.Command(sql, transaction).With("@id", campaignId).ScalarLongAndDisposeAsync(cancellationToken).ConfigureAwait(false);
        return found == 0 ? null : found;
    }

    private async Task<long> EnsureCampaignRefAsync(DbConnection connection, DbTransaction transaction, string campaignId, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (await FindCampaignRefAsync(connection, transaction, campaignId, cancellationToken).ConfigureAwait(false) is { } existing)
                return existing;
            var created = await connection.Command("""
                    INSERT INTO campaigns(campaign_id, created_at) VALUES (@id, @now)
                    ON CONFLICT (campaign_id) DO NOTHING RETURNING campaign_ref;
                    """, transaction)
                .With("@id", campaignId).With("@now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())
                .ScalarLongAndDisposeAsync(cancellationToken).ConfigureAwait(false);
            // Nothing returned: another writer created it in the meantime; read (and lock) theirs.
            if (created != 0)
                return created;
        }
    }

    private static void RequireCampaignId(string campaignId)
    {
        if (string.IsNullOrWhiteSpace(campaignId))
            throw new ArgumentException("The campaign id is empty.", nameof(campaignId));
    }

    private static Task<long> ScalarLongAsync(DbConnection connection, string sql, long campaignRef, CancellationToken cancellationToken) =>
        connection.Command(sql).With("@campaign", campaignRef).ScalarLongAndDisposeAsync(cancellationToken);

    /// <summary>Binds only the parameters <paramref name="sql"/> uses (the count statement has no LIMIT/OFFSET).</summary>
    private static DbCommand Command(DbConnection connection, string sql, long campaignRef, IReadOnlyDictionary<string, object> parameters)
    {
        var command = connection.Command(sql).With("@campaign", campaignRef);
        foreach (var (name, value) in parameters)
        {
            if (Regex.IsMatch(sql, Regex.Escape(name) + "(?![A-Za-z0-9_])"))
                command.With(name, value);
        }
        return command;
    }

    /// <summary>Keeps the last row of each key and orders the rows by key (a stable lock order for concurrent writers).</summary>
    private static List<T> LastPerKeyInKeyOrder<T, TKey>(ArraySegment<T> rows, Func<T, TKey> key, IComparer<TKey> order) where TKey : notnull
    {
        var last = new Dictionary<TKey, T>(rows.Count);
        foreach (var row in rows)
            last[key(row)] = row;
        var sorted = last.ToList();
        sorted.Sort((a, b) => order.Compare(a.Key, b.Key));
        return sorted.ConvertAll(p => p.Value);
    }

    public async Task DeleteCampaignAsync(string campaignId, CancellationToken cancellationToken = default)
    {
        RequireCampaignId(campaignId);
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        var deleted = await _database.InTransactionAsync($"delete of campaign '{campaignId}'", async (connection, transaction, ct) =>
        {
            // Deleting the campaigns row first waits for writers holding it; later writers get a new ref.
            var campaignRef = await connection.Command("DELETE FROM campaigns WHERE campaign_id = @id RETURNING campaign_ref;", transaction)
                .With("@id", campaignId).ScalarLongAndDisposeAsync(ct).ConfigureAwait(false);
            if (campaignRef == 0)
                return 0L;
            long rows = 1;
            foreach (var table in (string[])["campaign_results", "campaign_scores", "campaign_candidates", "campaign_rejected", "campaign_tasks"])
            {
                rows += await connection.Command($"DELETE FROM {table} WHERE campaign_ref = @campaign;", transaction)
                    .With("@campaign", campaignRef).ExecuteAndDisposeAsync(ct).ConfigureAwait(false);
            }
            return rows;
        }, cancellationToken).ConfigureAwait(false);
        _logger.LogInformation("Results store: deleted campaign {Campaign} ({Rows} rows)", campaignId, deleted);
    }
}

using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;

namespace DarwinGrid.Grains.Storage;

/// <summary>
/// <see cref="IResultStore"/> in PostgreSQL, for clusters where several silos write at once. The
/// tables, keys and semantics are those of <see cref="SqliteResultStore"/> (docs/storage.md). Each
/// slice of at most <see cref="PostgreSqlResultStoreOptions.WriteBatchSize"/> rows is one
/// transaction with one array-parameter upsert (<c>INSERT … SELECT FROM unnest(…) ON CONFLICT DO
/// UPDATE</c>): idempotent by key, rows sorted by key so concurrent writers lock in the same order,
/// and a key repeated inside a slice keeps its last row (as the SQLite store's row-by-row upserts do).
/// Transient failures (server restart, lost connection, deadlock) retry the slice.
/// </summary>
public sealed partial class PostgreSqlResultStore : IResultStore, IAsyncDisposable
{
    private readonly PostgreSqlDatabase _database;
    private readonly int _writeBatchSize;
    private readonly ILogger _logger;
    private readonly AsyncOnce _schema;

    public PostgreSqlResultStore(PostgreSqlResultStoreOptions options, ILogger<PostgreSqlResultStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.WriteBatchSize < 1)
            throw new ArgumentException($"{nameof(PostgreSqlResultStoreOptions.WriteBatchSize)} must be at least 1, got {options.WriteBatchSize}.", nameof(options));
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _database = new PostgreSqlDatabase(options, _logger);
        _writeBatchSize = options.WriteBatchSize;
        _schema = new AsyncOnce(async ct =>
        {
            var version = await _database.InTransactionAsync("schema migration", (connection, transaction, t) =>
                PostgreSqlSchemaMigrator.MigrateAsync(connection, transaction, _database.Description, ResultStoreSchema.Component, PostgreSqlSchemas.Results, t),
                ct).ConfigureAwait(false);
            _logger.LogInformation("Results store: PostgreSQL {Database}, schema version {Version}", _database.Description, version);
        });
    }

    public Task InitializeAsync(CancellationToken cancellationToken = default) => _schema.EnsureAsync(cancellationToken);

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    /// <summary>Runs <paramref name="work"/> with the campaign's ref; for a campaign never written to it returns <paramref name="empty"/> without running.</summary>
    private async Task<T> WithExistingCampaignAsync<T>(string campaignId, string what, T empty,
        Func<NpgsqlConnection, long, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
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
        Func<NpgsqlConnection, NpgsqlTransaction, long, ArraySegment<T>, CancellationToken, Task> write, CancellationToken cancellationToken)
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
    /// The campaign's ref. Inside a write transaction the campaigns row is share-locked, so a concurrent
    /// <see cref="DeleteCampaignAsync"/> waits for the write to commit instead of leaving its rows orphaned.
    /// </summary>
    private static async Task<long?> FindCampaignRefAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string campaignId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(transaction is null
            ? "SELECT campaign_ref FROM campaigns WHERE campaign_id = @id;"
            : "SELECT campaign_ref FROM campaigns WHERE campaign_id = @id FOR KEY SHARE;", connection, transaction);
        command.Parameters.AddWithValue("@id", campaignId);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long campaignRef ? campaignRef : null;
    }

    private static async Task<long> EnsureCampaignRefAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string campaignId, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (await FindCampaignRefAsync(connection, transaction, campaignId, cancellationToken).ConfigureAwait(false) is { } existing)
                return existing;
            await using var command = new NpgsqlCommand("""
                INSERT INTO campaigns(campaign_id, created_at) VALUES (@id, @now)
                ON CONFLICT (campaign_id) DO NOTHING RETURNING campaign_ref;
                """, connection, transaction);
            command.Parameters.AddWithValue("@id", campaignId);
            command.Parameters.AddWithValue("@now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            // Nothing returned: another writer created it in the meantime; read (and lock) theirs.
            if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long created)
                return created;
        }
    }

    private static void RequireCampaignId(string campaignId)
    {
        if (string.IsNullOrWhiteSpace(campaignId))
            throw new ArgumentException("The campaign id is empty.", nameof(campaignId));
    }

    private static async Task<long> ScalarLongAsync(NpgsqlConnection connection, string sql, long campaignRef, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("@campaign", campaignRef);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long count ? count : 0;
    }

    private static void AddArray<T>(NpgsqlCommand command, string name, NpgsqlDbType elementType, T[] values) =>
        command.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Array | elementType) { Value = values });

    /// <summary>Binds only the parameters <paramref name="sql"/> uses (the count statement has no LIMIT/OFFSET).</summary>
    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, long campaignRef, IReadOnlyDictionary<string, object> parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("@campaign", campaignRef);
        foreach (var (name, value) in parameters)
        {
            if (Regex.IsMatch(sql, Regex.Escape(name) + "(?![A-Za-z0-9_])"))
                command.Parameters.AddWithValue(name, value);
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
            long campaignRef;
            await using (var find = new NpgsqlCommand("DELETE FROM campaigns WHERE campaign_id = @id RETURNING campaign_ref;", connection, transaction))
            {
                find.Parameters.AddWithValue("@id", campaignId);
                if (await find.ExecuteScalarAsync(ct).ConfigureAwait(false) is not long found)
                    return 0L;
                campaignRef = found;
            }
            long rows = 1;
            foreach (var table in (string[])["campaign_results", "campaign_scores", "campaign_candidates", "campaign_rejected", "campaign_tasks"])
            {
                await using var command = new NpgsqlCommand($"DELETE FROM {table} WHERE campaign_ref = @campaign;", connection, transaction);
                command.Parameters.AddWithValue("@campaign", campaignRef);
                rows += await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
            return rows;
        }, cancellationToken).ConfigureAwait(false);
        _logger.LogInformation("Results store: deleted campaign {Campaign} ({Rows} rows)", campaignId, deleted);
    }
}

using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DarwinGrid.Grains.Storage;

/// <summary>
/// <see cref="IResultStore"/> in a SQLite file (WAL). Writes run in transactions of at most
/// <see cref="SqliteResultStoreOptions.WriteBatchSize"/> rows with one compiled statement reused
/// per row; reads run off the caller's thread. The partial files hold one area each.
/// </summary>
public sealed partial class SqliteResultStore : IResultStore
{
    private readonly SqliteDatabase _database;
    private readonly int _writeBatchSize;
    private readonly ILogger _logger;
    private readonly AsyncOnce _schema;

    public SqliteResultStore(SqliteResultStoreOptions options, ILogger<SqliteResultStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.WriteBatchSize < 1)
            throw new ArgumentException($"{nameof(SqliteResultStoreOptions.WriteBatchSize)} must be at least 1, got {options.WriteBatchSize}.", nameof(options));
        _database = new SqliteDatabase(options);
        _writeBatchSize = options.WriteBatchSize;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _schema = new AsyncOnce(ct => _database.RunAsync(connection =>
        {
            var version = SchemaMigrator.Migrate(connection, ResultStoreSchema.Component, ResultStoreSchema.Migrations);
            _logger.LogInformation("Results store: SQLite {Path}, schema version {Version}", _database.DataSource, version);
        }, ct));
    }

    public Task InitializeAsync(CancellationToken cancellationToken = default) => _schema.EnsureAsync(cancellationToken);

    /// <summary>Runs <paramref name="work"/> with the campaign's ref; for a campaign never written to it returns <paramref name="empty"/> without running.</summary>
    private async Task<T> WithExistingCampaignAsync<T>(string campaignId, T empty, Func<SqliteConnection, long, T> work, CancellationToken cancellationToken)
    {
        RequireCampaignId(campaignId);
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        return await _database.RunAsync(connection =>
            FindCampaignRef(connection, null, campaignId) is { } campaignRef ? work(connection, campaignRef) : empty, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes <paramref name="rows"/> in transactions of at most the batch size; <paramref name="write"/>
    /// gets the campaign's ref (created on first write; 0 without a campaign) and one slice.
    /// </summary>
    private async Task WriteInBatchesAsync<T>(
        string? campaignId,
        IReadOnlyList<T> rows,
        Action<SqliteConnection, SqliteTransaction, long, IReadOnlyList<T>, int, int> write,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (campaignId is not null)
            RequireCampaignId(campaignId);
        if (rows.Count == 0)
            return;
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        for (var start = 0; start < rows.Count; start += _writeBatchSize)
        {
            var end = Math.Min(rows.Count, start + _writeBatchSize);
            var from = start;
            await _database.InTransactionAsync((connection, transaction) =>
            {
                var campaignRef = campaignId is null ? 0 : EnsureCampaignRef(connection, transaction, campaignId);
                write(connection, transaction, campaignRef, rows, from, end);
                return 0;
            }, cancellationToken).ConfigureAwait(false);
        }
    }

    private static long? FindCampaignRef(SqliteConnection connection, SqliteTransaction? transaction, string campaignId)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT campaign_ref FROM campaigns WHERE campaign_id = @id;";
        command.Parameters.AddWithValue("@id", campaignId);
        return command.ExecuteScalar() is long campaignRef ? campaignRef : null;
    }

    private static long EnsureCampaignRef(SqliteConnection connection, SqliteTransaction transaction, string campaignId)
    {
        if (FindCampaignRef(connection, transaction, campaignId) is { } existing)
            return existing;
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO campaigns(campaign_id, created_at) VALUES (@id, @now) RETURNING campaign_ref;";
        command.Parameters.AddWithValue("@id", campaignId);
        command.Parameters.AddWithValue("@now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        return (long)command.ExecuteScalar()!;
    }

    private static void RequireCampaignId(string campaignId)
    {
        if (string.IsNullOrWhiteSpace(campaignId))
            throw new ArgumentException("The campaign id is empty.", nameof(campaignId));
    }

    private static long ScalarLong(SqliteConnection connection, string sql, long campaignRef, params (string Name, object? Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("@campaign", campaignRef);
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command.ExecuteScalar() is long count ? count : 0;
    }

    public async Task DeleteCampaignAsync(string campaignId, CancellationToken cancellationToken = default)
    {
        RequireCampaignId(campaignId);
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        var deleted = await _database.InTransactionAsync((connection, transaction) =>
        {
            if (FindCampaignRef(connection, transaction, campaignId) is not { } campaignRef)
                return 0L;
            long rows = 0;
            foreach (var table in (string[])["campaign_results", "campaign_scores", "campaign_candidates", "campaign_rejected", "campaign_tasks", "campaigns"])
            {
                using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = $"DELETE FROM {table} WHERE campaign_ref = @campaign;";
                command.Parameters.AddWithValue("@campaign", campaignRef);
                rows += command.ExecuteNonQuery();
            }
            return rows;
        }, cancellationToken).ConfigureAwait(false);
        _logger.LogInformation("Results store: deleted campaign {Campaign} ({Rows} rows)", campaignId, deleted);
    }
}

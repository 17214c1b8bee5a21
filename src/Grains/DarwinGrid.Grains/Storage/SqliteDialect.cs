using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace DarwinGrid.Grains.Storage;

/// <summary>
/// SQLite: lists travel as one JSON array parameter expanded by <c>json_each</c>, so a batch of any
/// size is one statement; a slice of rows is one compiled statement executed per row (fast in
/// SQLite, where a statement costs no round trip); the single writer lock (BEGIN IMMEDIATE) is
/// taken when a write transaction starts, which also serialises schema changes.
/// </summary>
internal sealed class SqliteDialect : SqlDialect
{
    public static SqliteDialect Instance { get; } = new();

    public override string Name => "SQLite";

    public override bool CompletesSynchronously => true;

    public override string IsIn(string column, string parameter) => $"{column} IN (SELECT value FROM json_each({parameter}))";

    public override object ListValue<T>(IEnumerable<T> values) => JsonSerializer.Serialize(values, StoreJson.Options);

    public override string Contains(string column, string parameter) => $"instr({column}, {parameter}) > 0";

    public override string KeyShareLock => "";

    public override ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        new(((SqliteConnection)connection).BeginTransaction(deferred: false));

    public override Task UpsertAsync(DbConnection connection, DbTransaction transaction, BulkUpsert upsert, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"""
            INSERT INTO {upsert.Table}({upsert.ColumnNames}) VALUES ({string.Join(", ", upsert.Columns.Select((_, i) => BulkUpsert.Parameter(i)))})
            ON CONFLICT {upsert.OnConflict};
            """;
        var perRow = new List<(DbParameter Parameter, Array Values)>();
        for (var i = 0; i < upsert.Columns.Count; i++)
        {
            var (_, value, values) = upsert.Columns[i];
            var parameter = command.CreateParameter();
            parameter.ParameterName = BulkUpsert.Parameter(i);
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
            if (values is not null)
                perRow.Add((parameter, values));
        }
        // Compiled on the first execution and reused: only the parameter values change.
        for (var row = 0; row < upsert.RowCount; row++)
        {
            foreach (var (parameter, values) in perRow)
                parameter.Value = values.GetValue(row) ?? DBNull.Value;
            command.ExecuteNonQuery();
        }
        return Task.CompletedTask;
    }

    /// <summary>SQLite waits for locks itself (busy_timeout); nothing else is worth a second attempt.</summary>
    public override bool IsTransient(Exception exception) => false;

    public override string VersionTableSql => """
        CREATE TABLE IF NOT EXISTS schema_versions (
            component  TEXT    NOT NULL PRIMARY KEY,
            version    INTEGER NOT NULL,
            applied_at TEXT    NOT NULL
        );
        """;

    public override async Task PrepareForMigrationAsync(DbConnection connection, string database, CancellationToken cancellationToken)
    {
        // journal_mode cannot change inside a transaction; it is persistent, so later opens inherit it.
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL;";
        var mode = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"SQLite database {database} refused WAL mode (journal mode is '{mode}').");
    }

    public override string? SchemaLockSql => null;

    public override object AppliedAt(DateTimeOffset now) => now.ToString("O", CultureInfo.InvariantCulture);

    public override IReadOnlyList<SchemaMigration> ResultsMigrations { get; } = SchemaScripts.Load("Sqlite", SchemaScripts.Results);

    public override IReadOnlyList<SchemaMigration> GrainStateMigrations { get; } = SchemaScripts.Load("Sqlite", SchemaScripts.GrainState);
}

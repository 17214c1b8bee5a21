using System.Data.Common;
using System.Net.Sockets;
using Npgsql;

namespace DarwinGrid.Grains.Storage;

/// <summary>
/// PostgreSQL: lists travel as one array parameter (<c>= ANY(@list)</c>); <c>strpos</c> is
/// case-sensitive; a slice of rows is one statement over <c>unnest</c> of one array per column
/// (one round trip however many rows); rows are share-locked where a concurrent delete must wait;
/// schema changes of silos starting together are serialised by an advisory lock.
/// </summary>
internal sealed class PostgreSqlDialect : SqlDialect
{
    /// <summary>The advisory lock key all DarwinGrid schema changes take ("DarwinGr" in ASCII).</summary>
    private const long SchemaLockKey = 0x4461_7277_696E_4772;

    public static PostgreSqlDialect Instance { get; } = new();

    public override string Name => "PostgreSQL";

    public override bool CompletesSynchronously => false;

    public override string IsIn(string column, string parameter) => $"{column} = ANY({parameter})";

    public override object ListValue<T>(IEnumerable<T> values) => values.ToArray();

    public override string Contains(string column, string parameter) => $"strpos({column}, {parameter}) > 0";

    public override string KeyShareLock => " FOR KEY SHARE";

    public override ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        connection.BeginTransactionAsync(cancellationToken);

    public override async Task UpsertAsync(DbConnection connection, DbTransaction transaction, BulkUpsert upsert, CancellationToken cancellationToken)
    {
        var select = new List<string>();
        var arrays = new List<string>();
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        for (var i = 0; i < upsert.Columns.Count; i++)
        {
            var (_, value, values) = upsert.Columns[i];
            var parameter = BulkUpsert.Parameter(i);
            // Npgsql types an array parameter by its element type: long[] is bigint[], double?[] double precision[].
            command.Parameters.Add(new NpgsqlParameter(parameter, (object?)values ?? value ?? DBNull.Value));
            select.Add(values is null ? parameter : $"r.{parameter[1..]}");
            if (values is not null)
                arrays.Add(parameter);
        }
        command.CommandText = $"""
            INSERT INTO {upsert.Table}({upsert.ColumnNames})
            SELECT {string.Join(", ", select)} FROM unnest({string.Join(", ", arrays)}) AS r({string.Join(", ", arrays.Select(a => a[1..]))})
            ON CONFLICT {upsert.OnConflict};
            """;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public override bool IsTransient(Exception exception) => exception switch
    {
        PostgresException p => p.SqlState is "57P01" or "57P02" or "57P03" // admin/crash shutdown, cannot connect now
            or "40001" or "40P01" // serialization failure, deadlock
            || p.SqlState.StartsWith("08", StringComparison.Ordinal) // connection exception
            || p.SqlState.StartsWith("53", StringComparison.Ordinal), // insufficient resources (too many connections)
        NpgsqlException n => n.IsTransient || n.InnerException is IOException or SocketException or TimeoutException,
        _ => false,
    };

    public override string VersionTableSql => """
        CREATE TABLE IF NOT EXISTS schema_versions (
            component  text        NOT NULL PRIMARY KEY,
            version    integer     NOT NULL,
            applied_at timestamptz NOT NULL
        );
        """;

    public override string? SchemaLockSql => $"SELECT pg_advisory_xact_lock({SchemaLockKey});";

    public override object AppliedAt(DateTimeOffset now) => now.ToUniversalTime();

    public override IReadOnlyList<SchemaMigration> ResultsMigrations { get; } = SchemaScripts.Load("PostgreSql", SchemaScripts.Results);

    public override IReadOnlyList<SchemaMigration> GrainStateMigrations { get; } = SchemaScripts.Load("PostgreSql", SchemaScripts.GrainState);
}

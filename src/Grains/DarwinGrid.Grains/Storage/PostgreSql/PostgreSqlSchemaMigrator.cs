using Npgsql;

namespace DarwinGrid.Grains.Storage;

/// <summary>
/// Creates and upgrades the tables of one component in a PostgreSQL database, recording the applied
/// version in <c>schema_versions</c> as the SQLite migrator does. All missing steps run in one
/// transaction under an advisory lock, so silos starting together apply each step exactly once and
/// a failed step leaves nothing half-done (PostgreSQL DDL is transactional).
/// </summary>
internal static class PostgreSqlSchemaMigrator
{
    /// <summary>The advisory lock key all DarwinGrid schema changes take ("DarwinGr" in ASCII).</summary>
    private const long LockKey = 0x4461_7277_696E_4772;

    private const string VersionTableSql = """
        CREATE TABLE IF NOT EXISTS schema_versions (
            component  text        NOT NULL PRIMARY KEY,
            version    integer     NOT NULL,
            applied_at timestamptz NOT NULL
        );
        """;

    /// <summary>Applies the missing steps and returns the component's version afterwards.</summary>
    public static async Task<int> MigrateAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string database, string component,
        IReadOnlyList<SchemaMigration> migrations, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock(@key);", cancellationToken, ("@key", LockKey));
        await ExecuteAsync(connection, transaction, VersionTableSql, cancellationToken);
        var current = SchemaMigrator.CurrentVersion(migrations);
        var applied = await ReadVersionAsync(connection, transaction, component, cancellationToken);
        if (applied > current)
            throw new InvalidOperationException(
                $"PostgreSQL database {database} has {component} schema version {applied}, newer than this build knows ({current}); upgrade DarwinGrid before using it.");
        foreach (var migration in migrations.OrderBy(m => m.Version).Where(m => m.Version > applied))
        {
            await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken);
            await ExecuteAsync(connection, transaction, """
                INSERT INTO schema_versions(component, version, applied_at) VALUES (@component, @version, now())
                ON CONFLICT (component) DO UPDATE SET version = excluded.version, applied_at = excluded.applied_at;
                """, cancellationToken, ("@component", component), ("@version", migration.Version));
            applied = migration.Version;
        }
        return applied;
    }

    public static async Task<int> ReadVersionAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string component, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT version FROM schema_versions WHERE component = @component;", connection, transaction);
        command.Parameters.AddWithValue("@component", component);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is int version ? version : 0;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken,
        params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}

using System.Globalization;
using Microsoft.Data.Sqlite;

namespace DarwinGrid.Grains.Storage;

/// <summary>One schema step of a component; steps run in order of <see cref="Version"/>, each once.</summary>
internal sealed record SchemaMigration(int Version, string Description, string Sql);

/// <summary>
/// Creates and upgrades the tables of one component (grain state, results) in a database file.
/// The applied version per component is kept in <c>schema_versions</c>; each step runs in a write
/// transaction together with its version bump, so concurrent starters apply it exactly once.
/// </summary>
internal static class SchemaMigrator
{
    private const string VersionTableSql = """
        CREATE TABLE IF NOT EXISTS schema_versions (
            component  TEXT    NOT NULL PRIMARY KEY,
            version    INTEGER NOT NULL,
            applied_at TEXT    NOT NULL
        );
        """;

    public static int CurrentVersion(IReadOnlyList<SchemaMigration> migrations) => migrations[^1].Version;

    /// <summary>Applies the missing steps and returns the component's version afterwards.</summary>
    public static int Migrate(SqliteConnection connection, string component, IReadOnlyList<SchemaMigration> migrations)
    {
        // journal_mode cannot change inside a transaction; it is persistent, so later opens inherit it.
        var mode = ScalarString(connection, "PRAGMA journal_mode = WAL;");
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"SQLite database '{connection.DataSource}' refused WAL mode (journal mode is '{mode}').");
        SqliteDatabase.Execute(connection, VersionTableSql);

        var applied = 0;
        foreach (var migration in migrations.OrderBy(m => m.Version))
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            applied = ReadVersion(connection, transaction, component);
            if (applied > CurrentVersion(migrations))
                throw new InvalidOperationException(
                    $"SQLite database '{connection.DataSource}' has {component} schema version {applied}, newer than this build knows " +
                    $"({CurrentVersion(migrations)}); upgrade DarwinGrid before opening it.");
            if (migration.Version <= applied)
                continue;
            SqliteDatabase.Execute(connection, migration.Sql, transaction);
            using (var bump = connection.CreateCommand())
            {
                bump.Transaction = transaction;
                bump.CommandText = """
                    INSERT INTO schema_versions(component, version, applied_at) VALUES ($component, $version, $at)
                    ON CONFLICT(component) DO UPDATE SET version = excluded.version, applied_at = excluded.applied_at;
                    """;
                bump.Parameters.AddWithValue("$component", component);
                bump.Parameters.AddWithValue("$version", migration.Version);
                bump.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
                bump.ExecuteNonQuery();
            }
            transaction.Commit();
            applied = migration.Version;
        }
        return applied;
    }

    public static int ReadVersion(SqliteConnection connection, SqliteTransaction? transaction, string component)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT version FROM schema_versions WHERE component = $component;";
        command.Parameters.AddWithValue("$component", component);
        return command.ExecuteScalar() is long version ? (int)version : 0;
    }

    private static string? ScalarString(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar() as string;
    }
}

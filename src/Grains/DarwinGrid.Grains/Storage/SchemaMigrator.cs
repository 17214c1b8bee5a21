using System.Data.Common;

namespace DarwinGrid.Grains.Storage;

/// <summary>One schema step of a component; steps run in order of <see cref="Version"/>, each once.</summary>
internal sealed record SchemaMigration(int Version, string Description, string Sql);

/// <summary>
/// Creates and upgrades the tables of one component (grain state, results). The applied version per
/// component is kept in <c>schema_versions</c>; all missing steps run in one write transaction
/// together with their version bumps, under the dialect's schema lock, so starters racing each other
/// apply each step exactly once and a failed step leaves nothing half-done (DDL is transactional in
/// both SQLite and PostgreSQL). A database with a newer version than the build knows is refused.
/// </summary>
internal static class SchemaMigrator
{
    public static int CurrentVersion(IReadOnlyList<SchemaMigration> migrations) => migrations[^1].Version;

    public static async Task<int> MigrateAsync(DbConnection connection, SqlDialect dialect, string database, string component,
        IReadOnlyList<SchemaMigration> migrations, CancellationToken cancellationToken)
    {
        await dialect.PrepareForMigrationAsync(connection, database, cancellationToken).ConfigureAwait(false);
        await using var transaction = await dialect.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        if (dialect.SchemaLockSql is { } schemaLock)
            await connection.Command(schemaLock, transaction).ExecuteAndDisposeAsync(cancellationToken).ConfigureAwait(false);
        await connection.Command(dialect.VersionTableSql, transaction).ExecuteAndDisposeAsync(cancellationToken).ConfigureAwait(false);
        var current = CurrentVersion(migrations);
        var applied = await ReadVersionAsync(connection, transaction, component, cancellationToken).ConfigureAwait(false);
        if (applied > current)
            throw new InvalidOperationException(
                $"{dialect.Name} database {database} has {component} schema version {applied}, newer than this build knows ({current}); upgrade DarwinGrid before using it.");
        foreach (var migration in migrations.OrderBy(m => m.Version).Where(m => m.Version > applied))
        {
            await connection.Command(migration.Sql, transaction).ExecuteAndDisposeAsync(cancellationToken).ConfigureAwait(false);
            await connection.Command("""
                    INSERT INTO schema_versions(component, version, applied_at) VALUES (@component, @version, @at)
                    ON CONFLICT (component) DO UPDATE SET version = excluded.version, applied_at = excluded.applied_at;
                    """, transaction)
                .With("@component", component).With("@version", migration.Version).With("@at", dialect.AppliedAt(DateTimeOffset.UtcNow))
                .ExecuteAndDisposeAsync(cancellationToken).ConfigureAwait(false);
            applied = migration.Version;
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return applied;
    }

    public static async Task<int> ReadVersionAsync(DbConnection connection, DbTransaction? transaction, string component, CancellationToken cancellationToken)
    {
        await using var command = connection.Command("SELECT version FROM schema_versions WHERE component = @component;", transaction).With("@component", component);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is { } version and not DBNull ? Convert.ToInt32(version) : 0;
    }
}

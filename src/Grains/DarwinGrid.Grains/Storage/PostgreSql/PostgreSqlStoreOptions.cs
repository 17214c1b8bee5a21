namespace DarwinGrid.Grains.Storage;

/// <summary>Options of one named <see cref="PostgreSqlGrainStorage"/> provider.</summary>
public sealed class PostgreSqlStorageOptions : PostgreSqlConnectionOptions, IGrainStateOptions
{
    /// <inheritdoc/>
    public bool DeleteStateOnClear { get; set; }

    /// <inheritdoc/>
    public System.Text.Json.JsonSerializerOptions? JsonSerializerOptions { get; set; }

    /// <inheritdoc/>
    public Dictionary<string, string> RenamedStateTypes { get; } = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public int InitStage { get; set; } = ServiceLifecycleStage.ApplicationServices;
}

/// <summary>Options of <see cref="PostgreSqlResultStore"/>.</summary>
public sealed class PostgreSqlResultStoreOptions : PostgreSqlConnectionOptions
{
    /// <summary>
    /// Rows per statement and transaction. A call with more rows is split; each slice is one
    /// array-parameter upsert (<c>INSERT … SELECT FROM unnest(…) ON CONFLICT DO UPDATE</c>).
    /// </summary>
    public int WriteBatchSize { get; set; } = 2000;
}

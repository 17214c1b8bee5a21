using Microsoft.Extensions.Logging;

namespace DarwinGrid.Grains.Storage;

/// <summary>Orleans grain storage in PostgreSQL, for clusters: <see cref="SqlGrainStorage"/> in the PostgreSQL dialect.</summary>
public sealed class PostgreSqlGrainStorage(string name, PostgreSqlStorageOptions options, ILogger<PostgreSqlGrainStorage> logger)
    : SqlGrainStorage(name, options ?? throw new ArgumentNullException(nameof(options)), options.OpenDatabase, logger);

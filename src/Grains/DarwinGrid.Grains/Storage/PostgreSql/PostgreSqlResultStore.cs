using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DarwinGrid.Grains.Storage;

/// <summary><see cref="IResultStore"/> in PostgreSQL, for clusters: <see cref="SqlResultStore"/> in the PostgreSQL dialect.</summary>
public sealed class PostgreSqlResultStore(PostgreSqlResultStoreOptions options, ILogger<PostgreSqlResultStore>? logger = null)
    : SqlResultStore((options ?? throw new ArgumentNullException(nameof(options))).OpenDatabase, options.WriteBatchSize, (ILogger?)logger ?? NullLogger.Instance);

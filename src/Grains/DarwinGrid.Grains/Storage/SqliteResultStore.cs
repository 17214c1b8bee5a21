using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DarwinGrid.Grains.Storage;

/// <summary><see cref="IResultStore"/> in a SQLite file (WAL): <see cref="SqlResultStore"/> in the SQLite dialect.</summary>
public sealed class SqliteResultStore(SqliteResultStoreOptions options, ILogger<SqliteResultStore>? logger = null)
    : SqlResultStore((options ?? throw new ArgumentNullException(nameof(options))).OpenDatabase, options.WriteBatchSize, (ILogger?)logger ?? NullLogger.Instance);

using Microsoft.Extensions.Logging;

namespace DarwinGrid.Grains.Storage;

/// <summary>Orleans grain storage in a SQLite file: <see cref="SqlGrainStorage"/> in the SQLite dialect.</summary>
public sealed class SqliteGrainStorage(string name, SqliteStorageOptions options, ILogger<SqliteGrainStorage> logger)
    : SqlGrainStorage(name, options ?? throw new ArgumentNullException(nameof(options)), options.OpenDatabase, logger);

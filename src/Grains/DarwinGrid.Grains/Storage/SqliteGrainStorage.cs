using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace DarwinGrid.Grains.Storage;

/// <summary>
/// Orleans grain storage in a SQLite file: one row per (state name, grain type, grain id) holding
/// the state as System.Text.Json text and the name of its .NET type. Every write carries the ETag
/// the grain last read; a mismatch (another activation or process wrote in between) throws
/// <see cref="InconsistentStateException"/>. ETags are random, so a deleted and re-created row never
/// accepts an ETag from its previous life.
/// </summary>
/// <remarks>
/// Renaming hazard: the recorded type name is checked on read. Renaming or moving a state type
/// makes its stored rows unreadable (a clear <see cref="SqliteStorageException"/>) until
/// <see cref="SqliteStorageOptions.RenamedStateTypes"/> maps the old name to the new one; renaming a
/// property silently drops its stored value (JSON binds by name). See docs/storage.md.
/// </remarks>
public sealed class SqliteGrainStorage : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    private readonly string _name;
    private readonly SqliteStorageOptions _options;
    private readonly SqliteDatabase _database;
    private readonly JsonSerializerOptions _json;
    private readonly ILogger<SqliteGrainStorage> _logger;
    private readonly AsyncOnce _schema;

    public SqliteGrainStorage(string name, SqliteStorageOptions options, ILogger<SqliteGrainStorage> logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(options);
        _name = name;
        _options = options;
        _database = new SqliteDatabase(options);
        _json = options.JsonSerializerOptions ?? GrainStateJson.DefaultOptions;
        _logger = logger;
        _schema = new AsyncOnce(CreateSchemaAsync);
    }

    public string Name => _name;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe($"{nameof(SqliteGrainStorage)}-{_name}", _options.InitStage, InitializeAsync, _ => Task.CompletedTask);

    /// <summary>Creates or upgrades the schema; the silo lifecycle calls it at start, the first operation otherwise.</summary>
    public Task InitializeAsync(CancellationToken cancellationToken = default) => _schema.EnsureAsync(cancellationToken);

    private Task CreateSchemaAsync(CancellationToken cancellationToken) =>
        _database.RunAsync(connection =>
        {
            var version = SchemaMigrator.Migrate(connection, GrainStateSchema.Component, GrainStateSchema.Migrations);
            _logger.LogInformation("Grain storage {Name}: SQLite {Path}, schema version {Version}", _name, _database.DataSource, version);
        }, cancellationToken);

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ReadStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WriteStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ClearStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        var key = new StateKey(stateName, grainId);
        var stored = await Guard("read", key, () => _database.RunAsync(connection => ReadRow(connection, null, key), cancellationToken)).ConfigureAwait(false);
        if (stored is null)
        {
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }

        grainState.ETag = stored.ETag;
        if (stored.Payload is null)
        {
            // A cleared state: no record, but writes must present the tombstone's ETag.
            grainState.RecordExists = false;
            return;
        }

        CheckStateType<T>(key, stored.StateType);
        T? state;
        try
        {
            state = JsonSerializer.Deserialize<T>(stored.Payload, _json);
        }
        catch (JsonException e)
        {
            throw new SqliteStorageException(
                $"Grain storage '{_name}': the stored {stored.StateType} of {key} in '{_database.DataSource}' is not valid JSON for {StateTypeName.Of(typeof(T))}: {e.Message}", e);
        }
        if (state is not null)
            grainState.State = state;
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        var key = new StateKey(stateName, grainId);
        var payload = JsonSerializer.Serialize(grainState.State, _json);
        var expected = grainState.ETag;
        var next = NewETag();
        var outcome = await Guard("write", key, () => _database.InTransactionAsync((connection, transaction) =>
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = expected is null
                ? """
                  INSERT INTO grain_state(state_name, grain_type, grain_id, state_type, payload, etag, modified_at)
                  VALUES ($state, $type, $id, $stateType, $payload, $next, $now)
                  ON CONFLICT DO NOTHING;
                  """
                : """
                  UPDATE grain_state SET state_type = $stateType, payload = $payload, etag = $next, modified_at = $now
                  WHERE state_name = $state AND grain_type = $type AND grain_id = $id AND etag = $expected;
                  """;
            key.Bind(command);
            command.Parameters.AddWithValue("$stateType", StateTypeName.Of(typeof(T)));
            command.Parameters.AddWithValue("$payload", payload);
            command.Parameters.AddWithValue("$next", next);
            command.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            if (expected is not null)
                command.Parameters.AddWithValue("$expected", expected);
            return command.ExecuteNonQuery() == 1 ? WriteOutcome.Written(next) : WriteOutcome.Conflict(ReadRow(connection, transaction, key)?.ETag);
        }, cancellationToken)).ConfigureAwait(false);

        if (outcome.IsConflict)
            throw Conflict("write", key, outcome.ETag, expected);
        grainState.ETag = next;
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        var key = new StateKey(stateName, grainId);
        var expected = grainState.ETag;
        var next = _options.DeleteStateOnClear ? null : NewETag();
        var outcome = await Guard("clear", key, () => _database.InTransactionAsync((connection, transaction) =>
        {
            var current = ReadRow(connection, transaction, key);
            if (current is null)
                return expected is null ? WriteOutcome.Written(null) : WriteOutcome.Conflict(null);
            if (!string.Equals(current.ETag, expected, StringComparison.Ordinal))
                return WriteOutcome.Conflict(current.ETag);

            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = next is null
                ? "DELETE FROM grain_state WHERE state_name = $state AND grain_type = $type AND grain_id = $id;"
                : """
                  UPDATE grain_state SET payload = NULL, etag = $next, modified_at = $now
                  WHERE state_name = $state AND grain_type = $type AND grain_id = $id;
                  """;
            key.Bind(command);
            if (next is not null)
            {
                command.Parameters.AddWithValue("$next", next);
                command.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            }
            command.ExecuteNonQuery();
            return WriteOutcome.Written(next);
        }, cancellationToken)).ConfigureAwait(false);

        if (outcome.IsConflict)
            throw Conflict("clear", key, outcome.ETag, expected);
        grainState.ETag = outcome.ETag;
        grainState.RecordExists = false;
    }

    private void CheckStateType<T>(StateKey key, string storedType)
    {
        var expectedType = StateTypeName.Of(typeof(T));
        if (string.Equals(storedType, expectedType, StringComparison.Ordinal))
            return;
        if (_options.RenamedStateTypes.TryGetValue(storedType, out var renamedTo) && string.Equals(renamedTo, expectedType, StringComparison.Ordinal))
            return;
        throw new SqliteStorageException(
            $"Grain storage '{_name}': {key} was stored as {storedType} but the grain reads it as {expectedType}. " +
            $"A state type was renamed or moved; if the JSON shape is unchanged add " +
            $"RenamedStateTypes[\"{storedType}\"] = \"{expectedType}\" to the storage options, otherwise migrate the data (docs/storage.md).");
    }

    private InconsistentStateException Conflict(string operation, StateKey key, string? stored, string? expected) =>
        new($"Grain storage '{_name}': ETag conflict on {operation} of {key}: the grain holds {expected ?? "no ETag"}, " +
            $"storage has {stored ?? "no record"} (another activation wrote it).", stored ?? "", expected ?? "");

    private async Task<TResult> Guard<TResult>(string operation, StateKey key, Func<Task<TResult>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (SqliteException e)
        {
            _logger.LogError(e, "Grain storage {Name}: {Operation} of {Key} failed", _name, operation, key);
            throw new SqliteStorageException(
                $"Grain storage '{_name}': {operation} of {key} in '{_database.DataSource}' failed: {e.Message}", e);
        }
    }

    private static StoredRow? ReadRow(SqliteConnection connection, SqliteTransaction? transaction, StateKey key)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            SELECT state_type, payload, etag FROM grain_state
            WHERE state_name = $state AND grain_type = $type AND grain_id = $id;
            """;
        key.Bind(command);
        using var reader = command.ExecuteReader();
        if (!reader.Read())
            return null;
        return new StoredRow(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2));
    }

    private static string NewETag() => Guid.NewGuid().ToString("N");

    private sealed record StoredRow(string StateType, string? Payload, string ETag);

    /// <summary>Written: <see cref="ETag"/> is the row's new ETag. Conflict: it is the ETag found in storage.</summary>
    private readonly record struct WriteOutcome(bool IsConflict, string? ETag)
    {
        public static WriteOutcome Written(string? etag) => new(false, etag);
        public static WriteOutcome Conflict(string? stored) => new(true, stored);
    }

    private readonly record struct StateKey(string StateName, GrainId GrainId)
    {
        public void Bind(SqliteCommand command)
        {
            command.Parameters.AddWithValue("$state", StateName);
            command.Parameters.AddWithValue("$type", GrainId.Type.ToString());
            command.Parameters.AddWithValue("$id", GrainId.Key.ToString());
        }

        public override string ToString() => $"state '{StateName}' of grain {GrainId}";
    }
}

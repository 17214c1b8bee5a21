using System.Text.Json;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Storage;

namespace DarwinGrid.Grains.Storage;

/// <summary>
/// Orleans grain storage in PostgreSQL, with the same table, ETag rules and renaming checks as
/// <see cref="SqliteGrainStorage"/> (docs/storage.md): one row per (state name, grain type, grain id)
/// holding the JSON text and the .NET type name; a write carrying a stale ETag throws
/// <see cref="InconsistentStateException"/>. Each write is a single conditional statement, so
/// concurrent silos need no lock. A write retried after a lost connection recognises its own new
/// ETag in the row and counts as done rather than as a conflict.
/// </summary>
public sealed class PostgreSqlGrainStorage : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>, IAsyncDisposable
{
    private readonly string _name;
    private readonly PostgreSqlStorageOptions _options;
    private readonly PostgreSqlDatabase _database;
    private readonly JsonSerializerOptions _json;
    private readonly ILogger<PostgreSqlGrainStorage> _logger;
    private readonly AsyncOnce _schema;

    public PostgreSqlGrainStorage(string name, PostgreSqlStorageOptions options, ILogger<PostgreSqlGrainStorage> logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(options);
        _name = name;
        _options = options;
        _logger = logger;
        _database = new PostgreSqlDatabase(options, logger);
        _json = options.JsonSerializerOptions ?? GrainStateJson.DefaultOptions;
        _schema = new AsyncOnce(CreateSchemaAsync);
    }

    public string Name => _name;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe($"{nameof(PostgreSqlGrainStorage)}-{_name}", _options.InitStage, InitializeAsync, _ => Task.CompletedTask);

    /// <summary>Creates or upgrades the schema; the silo lifecycle calls it at start, the first operation otherwise.</summary>
    public Task InitializeAsync(CancellationToken cancellationToken = default) => _schema.EnsureAsync(cancellationToken);

    private async Task CreateSchemaAsync(CancellationToken cancellationToken)
    {
        var version = await _database.InTransactionAsync("schema migration", (connection, transaction, ct) =>
            PostgreSqlSchemaMigrator.MigrateAsync(connection, transaction, _database.Description, GrainStateSchema.Component, PostgreSqlSchemas.GrainState, ct),
            cancellationToken).ConfigureAwait(false);
        _logger.LogInformation("Grain storage {Name}: PostgreSQL {Database}, schema version {Version}", _name, _database.Description, version);
    }

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
        var stored = await _database.RunAsync($"read of {key}", (connection, ct) => ReadRowAsync(connection, key, ct), cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }

        grainState.ETag = stored.ETag;
        if (stored.Payload is null)
        {
            grainState.RecordExists = false; // a tombstone: no record, but writes must present its ETag
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
            throw new PostgreSqlStorageException(
                $"Grain storage '{_name}': the stored {stored.StateType} of {key} in {_database.Description} is not valid JSON for {StateTypeName.Of(typeof(T))}: {e.Message}", e);
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
        var stateType = StateTypeName.Of(typeof(T));
        var outcome = await _database.RunAsync($"write of {key}", async (connection, ct) =>
        {
            await using var command = new NpgsqlCommand(expected is null
                ? """
                  INSERT INTO grain_state(state_name, grain_type, grain_id, state_type, payload, etag, modified_at)
                  VALUES (@state, @type, @id, @stateType, @payload, @next, @now)
                  ON CONFLICT DO NOTHING;
                  """
                : """
                  UPDATE grain_state SET state_type = @stateType, payload = @payload, etag = @next, modified_at = @now
                  WHERE state_name = @state AND grain_type = @type AND grain_id = @id AND etag = @expected;
                  """, connection);
            key.Bind(command);
            command.Parameters.AddWithValue("@stateType", stateType);
            command.Parameters.AddWithValue("@payload", payload);
            command.Parameters.AddWithValue("@next", next);
            command.Parameters.AddWithValue("@now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            if (expected is not null)
                command.Parameters.AddWithValue("@expected", expected);
            if (await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1)
                return WriteOutcome.Written(next);
            var stored = (await ReadRowAsync(connection, key, ct).ConfigureAwait(false))?.ETag;
            // Our own ETag: an earlier attempt committed before its connection was lost.
            return stored == next ? WriteOutcome.Written(next) : WriteOutcome.Conflict(stored);
        }, cancellationToken).ConfigureAwait(false);

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
        var attempts = 0;
        var outcome = await _database.RunAsync($"clear of {key}", async (connection, ct) =>
        {
            attempts++;
            if (expected is not null)
            {
                await using var command = new NpgsqlCommand(next is null
                    ? "DELETE FROM grain_state WHERE state_name = @state AND grain_type = @type AND grain_id = @id AND etag = @expected;"
                    : """
                      UPDATE grain_state SET payload = NULL, etag = @next, modified_at = @now
                      WHERE state_name = @state AND grain_type = @type AND grain_id = @id AND etag = @expected;
                      """, connection);
                key.Bind(command);
                command.Parameters.AddWithValue("@expected", expected);
                if (next is not null)
                {
                    command.Parameters.AddWithValue("@next", next);
                    command.Parameters.AddWithValue("@now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                }
                if (await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1)
                    return WriteOutcome.Written(next);
            }
            var current = (await ReadRowAsync(connection, key, ct).ConfigureAwait(false))?.ETag;
            if (current is null)
                // Never written (nothing to clear), or deleted by an earlier attempt of this call.
                return expected is null || (next is null && attempts > 1) ? WriteOutcome.Written(null) : WriteOutcome.Conflict(null);
            return current == next ? WriteOutcome.Written(next) : WriteOutcome.Conflict(current);
        }, cancellationToken).ConfigureAwait(false);

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
        throw new PostgreSqlStorageException(
            $"Grain storage '{_name}': {key} was stored as {storedType} but the grain reads it as {expectedType}. " +
            $"A state type was renamed or moved; if the JSON shape is unchanged add " +
            $"RenamedStateTypes[\"{storedType}\"] = \"{expectedType}\" to the storage options, otherwise migrate the data (docs/storage.md).");
    }

    private InconsistentStateException Conflict(string operation, StateKey key, string? stored, string? expected) =>
        new($"Grain storage '{_name}': ETag conflict on {operation} of {key}: the grain holds {expected ?? "no ETag"}, " +
            $"storage has {stored ?? "no record"} (another activation wrote it).", stored ?? "", expected ?? "");

    private static async Task<StoredRow?> ReadRowAsync(NpgsqlConnection connection, StateKey key, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT state_type, payload, etag FROM grain_state
            WHERE state_name = @state AND grain_type = @type AND grain_id = @id;
            """, connection);
        key.Bind(command);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            return null;
        return new StoredRow(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2));
    }

    private static string NewETag() => Guid.NewGuid().ToString("N");

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    private sealed record StoredRow(string StateType, string? Payload, string ETag);

    /// <summary>Written: <see cref="ETag"/> is the row's new ETag. Conflict: it is the ETag found in storage.</summary>
    private readonly record struct WriteOutcome(bool IsConflict, string? ETag)
    {
        public static WriteOutcome Written(string? etag) => new(false, etag);
        public static WriteOutcome Conflict(string? stored) => new(true, stored);
    }

    private readonly record struct StateKey(string StateName, GrainId GrainId)
    {
        public void Bind(NpgsqlCommand command)
        {
            command.Parameters.AddWithValue("@state", StateName);
            command.Parameters.AddWithValue("@type", GrainId.Type.ToString()!);
            command.Parameters.AddWithValue("@id", GrainId.Key.ToString()!);
        }

        public override string ToString() => $"state '{StateName}' of grain {GrainId}";
    }
}

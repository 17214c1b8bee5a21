using System.Data.Common;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace DarwinGrid.Grains.Storage;

/// <summary>
/// Orleans grain storage over ADO.NET, one implementation for SQLite and PostgreSQL (the vendors
/// differ in their <see cref="SqlDialect"/> only): one row per (state name, grain type, grain id)
/// holding the state as System.Text.Json text and the name of its .NET type. Every write carries the
/// ETag the grain last read; a mismatch (another activation or process wrote in between) throws
/// <see cref="InconsistentStateException"/>. ETags are random, so a deleted and re-created row never
/// accepts an ETag from its previous life. Each write is a single conditional statement, so
/// concurrent silos need no lock; a write retried after a lost connection recognises its own new
/// ETag in the row and counts as done rather than as a conflict.
/// </summary>
/// <remarks>
/// Renaming hazard: the recorded type name is checked on read. Renaming or moving a state type
/// makes its stored rows unreadable (a clear <see cref="StorageException"/>) until
/// <see cref="IGrainStateOptions.RenamedStateTypes"/> maps the old name to the new one; renaming a
/// property silently drops its stored value (JSON binds by name). See docs/storage.md.
/// </remarks>
public abstract class SqlGrainStorage : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>, IAsyncDisposable, IDisposable
{
    private readonly string _name;
    private readonly IGrainStateOptions _options;
    private readonly SqlDatabase _database;
    private readonly JsonSerializerOptions _json;
    private readonly ILogger _logger;
    private readonly AsyncOnce _schema;

    private protected SqlGrainStorage(string name, IGrainStateOptions options, Func<ILogger, SqlDatabase> open, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _name = name;
        _options = options;
        _logger = logger;
        _database = open(logger);
        _json = options.JsonSerializerOptions ?? GrainStateJson.DefaultOptions;
        _schema = new AsyncOnce(CreateSchemaAsync);
    }

    public string Name => _name;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe($"{GetType().Name}-{_name}", _options.InitStage, InitializeAsync, _ => Task.CompletedTask);

    /// <summary>Creates or upgrades the schema; the silo lifecycle calls it at start, the first operation otherwise.</summary>
    public Task InitializeAsync(CancellationToken cancellationToken = default) => _schema.EnsureAsync(cancellationToken);

    private async Task CreateSchemaAsync(CancellationToken cancellationToken)
    {
        var version = await _database.MigrateAsync(SchemaScripts.GrainState, _database.Dialect.GrainStateMigrations, cancellationToken).ConfigureAwait(false);
        _logger.LogInformation("Grain storage {Name}: {Vendor} {Database}, schema version {Version}", _name, _database.Dialect.Name, _database.Description, version);
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
        var stored = await _database.RunAsync($"grain storage '{_name}': read of {key}", (connection, ct) => ReadRowAsync(connection, key, ct), cancellationToken)
            .ConfigureAwait(false);
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
            throw new StorageException(
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
        var outcome = await _database.RunAsync($"grain storage '{_name}': write of {key}", async (connection, ct) =>
        {
            var command = connection.Command(expected is null
                ? """
                  INSERT INTO grain_state(state_name, grain_type, grain_id, state_type, payload, etag, modified_at)
                  VALUES (@state, @type, @id, @stateType, @payload, @next, @now)
                  ON CONFLICT DO NOTHING;
                  """
                : """
                  UPDATE grain_state SET state_type = @stateType, payload = @payload, etag = @next, modified_at = @now
                  WHERE state_name = @state AND grain_type = @type AND grain_id = @id AND etag = @expected;
                  """);
            key.Bind(command)
                .With("@stateType", stateType).With("@payload", payload).With("@next", next).With("@now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            if (expected is not null)
                command.With("@expected", expected);
            if (await command.ExecuteAndDisposeAsync(ct).ConfigureAwait(false) == 1)
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
        var outcome = await _database.RunAsync($"grain storage '{_name}': clear of {key}", async (connection, ct) =>
        {
            attempts++;
            if (expected is not null)
            {
                var command = connection.Command(next is null
                    ? "DELETE FROM grain_state WHERE state_name = @state AND grain_type = @type AND grain_id = @id AND etag = @expected;"
                    : """
                      UPDATE grain_state SET payload = NULL, etag = @next, modified_at = @now
                      WHERE state_name = @state AND grain_type = @type AND grain_id = @id AND etag = @expected;
                      """);
                key.Bind(command).With("@expected", expected);
                if (next is not null)
                    command.With("@next", next).With("@now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                if (await command.ExecuteAndDisposeAsync(ct).ConfigureAwait(false) == 1)
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
        throw new StorageException(
            $"Grain storage '{_name}': {key} was stored as {storedType} but the grain reads it as {expectedType}. " +
            $"A state type was renamed or moved; if the JSON shape is unchanged add " +
            $"RenamedStateTypes[\"{storedType}\"] = \"{expectedType}\" to the storage options, otherwise migrate the data (docs/storage.md).");
    }

    private InconsistentStateException Conflict(string operation, StateKey key, string? stored, string? expected) =>
        new($"Grain storage '{_name}': ETag conflict on {operation} of {key}: the grain holds {expected ?? "no ETag"}, " +
            $"storage has {stored ?? "no record"} (another activation wrote it).", stored ?? "", expected ?? "");

    private static async Task<StoredRow?> ReadRowAsync(DbConnection connection, StateKey key, CancellationToken cancellationToken)
    {
        var rows = await key.Bind(connection.Command("""
                SELECT state_type, payload, etag FROM grain_state
                WHERE state_name = @state AND grain_type = @type AND grain_id = @id;
                """))
            .ListAndDisposeAsync(reader => new StoredRow(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2)), cancellationToken)
            .ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    private static string NewETag() => Guid.NewGuid().ToString("N");

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    /// <summary>Containers disposed synchronously (a test's service provider) dispose the store this way.</summary>
    public void Dispose() => _database.Dispose();

    private sealed record StoredRow(string StateType, string? Payload, string ETag);

    /// <summary>Written: <see cref="ETag"/> is the row's new ETag. Conflict: it is the ETag found in storage.</summary>
    private readonly record struct WriteOutcome(bool IsConflict, string? ETag)
    {
        public static WriteOutcome Written(string? etag) => new(false, etag);
        public static WriteOutcome Conflict(string? stored) => new(true, stored);
    }

    private readonly record struct StateKey(string StateName, GrainId GrainId)
    {
        public DbCommand Bind(DbCommand command) =>
            command.With("@state", StateName).With("@type", GrainId.Type.ToString()!).With("@id", GrainId.Key.ToString()!);

        public override string ToString() => $"state '{StateName}' of grain {GrainId}";
    }
}

using System.Text.Json;
using Orleans;

namespace DarwinGrid.Grains.Storage;

/// <summary>Options of one named <see cref="SqliteGrainStorage"/> provider.</summary>
public sealed class SqliteStorageOptions : SqliteConnectionOptions
{
    /// <summary>
    /// True: clearing a grain's state deletes its row. False (default): the row stays as a
    /// tombstone without payload, so its ETag keeps moving and a stale writer can never resurrect it.
    /// </summary>
    public bool DeleteStateOnClear { get; set; }

    /// <summary>Serializer options for state payloads; null uses <see cref="GrainStateJson.DefaultOptions"/>.</summary>
    public JsonSerializerOptions? JsonSerializerOptions { get; set; }

    /// <summary>
    /// Stored state type names that may be read as a renamed type: old name -> new name (names as
    /// <see cref="StateTypeName.Of"/> renders them). Only add an entry after checking the JSON shape
    /// of the old type still binds to the new one; see docs/storage.md.
    /// </summary>
    public Dictionary<string, string> RenamedStateTypes { get; } = new(StringComparer.Ordinal);

    /// <summary>Silo lifecycle stage at which the schema is created.</summary>
    public int InitStage { get; set; } = ServiceLifecycleStage.ApplicationServices;
}

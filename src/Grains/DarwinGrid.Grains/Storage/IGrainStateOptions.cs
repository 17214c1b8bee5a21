using System.Text.Json;

namespace DarwinGrid.Grains.Storage;

/// <summary>What a grain storage provider needs besides its connection (<see cref="SqliteStorageOptions"/>, <see cref="PostgreSqlStorageOptions"/>).</summary>
public interface IGrainStateOptions
{
    /// <summary>
    /// True: clearing a grain's state deletes its row. False (default): the row stays as a
    /// tombstone without payload, so its ETag keeps moving and a stale writer can never resurrect it.
    /// </summary>
    bool DeleteStateOnClear { get; }

    /// <summary>Serializer options for state payloads; null uses <see cref="GrainStateJson.DefaultOptions"/>.</summary>
    JsonSerializerOptions? JsonSerializerOptions { get; }

    /// <summary>
    /// Stored state type names that may be read as a renamed type: old name -> new name (names as
    /// <see cref="StateTypeName.Of"/> renders them). Only add an entry after checking the JSON shape
    /// of the old type still binds to the new one; see docs/storage.md.
    /// </summary>
    Dictionary<string, string> RenamedStateTypes { get; }

    /// <summary>Silo lifecycle stage at which the schema is created.</summary>
    int InitStage { get; }
}

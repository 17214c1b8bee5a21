using System.Text.Json;
using Orleans;

namespace DarwinGrid.Grains.Storage;

/// <summary>Options of one named <see cref="SqliteGrainStorage"/> provider.</summary>
public sealed class SqliteStorageOptions : SqliteConnectionOptions, IGrainStateOptions
{
    /// <inheritdoc/>
    public bool DeleteStateOnClear { get; set; }

    /// <inheritdoc/>
    public JsonSerializerOptions? JsonSerializerOptions { get; set; }

    /// <inheritdoc/>
    public Dictionary<string, string> RenamedStateTypes { get; } = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public int InitStage { get; set; } = ServiceLifecycleStage.ApplicationServices;
}

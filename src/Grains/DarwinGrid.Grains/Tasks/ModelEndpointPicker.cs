using System.Collections.Immutable;
using System.Diagnostics;
using DarwinGrid.Grains.Models;

namespace DarwinGrid.Grains.Tasks;

/// <summary>
/// Chooses the least-loaded model grain serving a version: the registry's live keys (refreshed every
/// few seconds, or at once after a failure), each scored by its reported queue depth plus what this
/// task grain itself has sent it since. Used on the task grain's scheduler only.
/// </summary>
public sealed class ModelEndpointPicker(IGrainFactory grains, string version)
{
    private static readonly TimeSpan KeysLifetime = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan LoadLifetime = TimeSpan.FromSeconds(1);

    private readonly Dictionary<string, int> _sent = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _reported = new(StringComparer.Ordinal);
    private ImmutableArray<string> _keys = [];
    private long _keysAt = long.MinValue;
    private long _loadAt = long.MinValue;

    /// <summary>The key to send <paramref name="inputs"/> to, or null when no live silo serves the version.</summary>
    public async Task<string?> PickAsync(int inputs)
    {
        var now = Stopwatch.GetTimestamp();
        if (_keys.IsEmpty || Stopwatch.GetElapsedTime(_keysAt, now) > KeysLifetime)
        {
            _keys = await grains.GetGrain<IModelRegistryGrain>(IModelRegistryGrain.Key).GetServingKeysAsync(version);
            _keysAt = now;
        }
        if (_keys.IsEmpty)
            return null;
        if (_keys.Length > 1 && Stopwatch.GetElapsedTime(_loadAt, now) > LoadLifetime)
        {
            _loadAt = now;
            await RefreshLoadsAsync();
        }
        var best = _keys.MinBy(k => _reported.GetValueOrDefault(k) + _sent.GetValueOrDefault(k))!;
        _sent[best] = _sent.GetValueOrDefault(best) + inputs;
        return best;
    }

    public void Returned(string key, int inputs) => _sent[key] = Math.Max(0, _sent.GetValueOrDefault(key) - inputs);

    /// <summary>After a failed call: ask the registry again before the next pick.</summary>
    public void Invalidate(string key)
    {
        _keysAt = long.MinValue;
        _reported[key] = int.MaxValue / 4;
    }

    private async Task RefreshLoadsAsync()
    {
        var loads = await Task.WhenAll(_keys.Select(async key =>
        {
            try
            {
                var load = await grains.GetGrain<IModelGrain>(key).GetLoadAsync().WaitAsync(TimeSpan.FromSeconds(2));
                // Another caller's inputs count fully; ours are counted in _sent already.
                return (key, depth: Math.Max(0, load.QueueDepth - _sent.GetValueOrDefault(key)));
            }
            catch (Exception)
            {
                return (key, depth: int.MaxValue / 4);
            }
        }));
        _reported.Clear();
        foreach (var (key, depth) in loads)
            _reported[key] = depth;
    }
}

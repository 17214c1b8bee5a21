using Orleans.Storage;

namespace DarwinGrid.Grains.Tests.Screening;

/// <summary>
/// Holds the first grain-state write that matches <see cref="Arm"/>'s condition inside the storage
/// provider until <see cref="Release"/>, so a test can act while that write is surely in flight (for
/// instance, write the same row behind the grain's back, as a second activation of it would).
/// One-shot; shared by all silos of a cluster.
/// </summary>
public sealed class StateWriteGate
{
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Func<string, GrainId, object?, bool>? _condition;

    /// <summary>Completes when a matching write is being held.</summary>
    public Task Reached => _reached.Task;

    /// <param name="condition">State name, grain id and state of a write: whether to hold it.</param>
    public void Arm(Func<string, GrainId, object?, bool> condition) => Interlocked.Exchange(ref _condition, condition);

    public void Release() => _released.TrySetResult();

    internal async Task BeforeWriteAsync(string stateName, GrainId grainId, object? state)
    {
        var condition = _condition;
        if (condition is null || !condition(stateName, grainId, state) || Interlocked.CompareExchange(ref _condition, null, condition) != condition)
            return;
        _reached.TrySetResult();
        // Bounded, so a test that fails before releasing never holds a write for good.
        await _released.Task.WaitAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
    }
}

/// <summary>The real grain storage, with its writes passed through a <see cref="StateWriteGate"/>.</summary>
public sealed class GatedGrainStorage(IGrainStorage inner, StateWriteGate gate) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await gate.BeforeWriteAsync(stateName, grainId, grainState.State).ConfigureAwait(false);
        await inner.WriteStateAsync(stateName, grainId, grainState).ConfigureAwait(false);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, grainId, grainState);

    // The provider registration subscribes "the default storage" to the silo lifecycle: that is this wrapper now.
    public void Participate(ISiloLifecycle lifecycle) => (inner as ILifecycleParticipant<ISiloLifecycle>)?.Participate(lifecycle);
}

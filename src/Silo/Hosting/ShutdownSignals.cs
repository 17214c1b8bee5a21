using System.Runtime.InteropServices;

namespace DarwinGrid.Silo.Hosting;

/// <summary>
/// SIGTERM (docker stop, a pod deleted) and SIGINT (Ctrl-C) as a cancellation the long-running verbs
/// wait on. Without handlers that cancel the default, the runtime ends the process at once (exit
/// 143 / 130, measured within 0.1 s) and a silo never leaves its cluster gracefully: the others only
/// notice it through missed membership probes.
/// </summary>
public sealed class ShutdownSignals : IDisposable
{
    private readonly CancellationTokenSource _signalled;
    private readonly PosixSignalRegistration[] _registrations;

    public ShutdownSignals(CancellationToken alsoStopOn)
    {
        _signalled = CancellationTokenSource.CreateLinkedTokenSource(alsoStopOn);
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
        ];
    }

    /// <summary>Cancelled by the first signal (or the token given at construction).</summary>
    public CancellationToken Token => _signalled.Token;

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true; // keep the process: the verb stops its host and returns
        _signalled.Cancel();
    }

    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
        _signalled.Dispose();
    }
}

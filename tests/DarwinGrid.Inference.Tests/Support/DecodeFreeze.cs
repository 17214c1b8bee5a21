using System.Reflection;
using LLama.Native;

namespace DarwinGrid.Inference.Tests.Support;

/// <summary>
/// Freezes every <c>llama_decode</c> in the process by holding LLamaSharp's process-wide inference
/// lock (a private static in 0.30.0) on a thread of its own, so a test can catch the driver in the
/// middle of a decode deterministically instead of racing it. Other tests' decodes just wait.
/// </summary>
internal sealed class DecodeFreeze : IDisposable
{
    private readonly ManualResetEventSlim _held = new();
    private readonly ManualResetEventSlim _release = new();
    private readonly Thread _holder;

    public DecodeFreeze()
    {
        var gate = typeof(SafeLLamaContextHandle).GetField("GlobalInferenceLock", BindingFlags.NonPublic | BindingFlags.Static)?.GetValue(null)
            ?? throw new InvalidOperationException("LLamaSharp's GlobalInferenceLock was not found (LLamaSharp 0.30.0 expected).");
        _holder = new Thread(() =>
        {
            lock (gate)
            {
                _held.Set();
                _release.Wait();
            }
        }) { IsBackground = true, Name = "decode-freeze" };
        _holder.Start();
        _held.Wait();
    }

    public void Dispose()
    {
        _release.Set();
        _holder.Join();
        _held.Dispose();
        _release.Dispose();
    }
}

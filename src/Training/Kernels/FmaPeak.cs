using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace DarwinGrid.Training.Kernels;

/// <summary>
/// The fused multiply-add peak of one core at a vector width, measured: ten independent FMA chains
/// (enough to cover the latency of two pipes) timed in short bursts, best burst kept so that another
/// process taking the core for a moment does not lower it. Measuring, rather than multiplying a
/// nominal clock by an assumed number of FMA pipes, also covers boost clocks and VMs whose
/// /proc/cpuinfo reports the base clock.
/// </summary>
public static class FmaPeak
{
    private const int Chains = 10;
    private const int IterationsPerBurst = 20_000;
    private const int Bursts = 60;

    /// <summary>FLOP/s of one core at <paramref name="width"/> (2 FLOPs per lane per FMA).</summary>
    public static double PerCore(KernelWidth width) => width switch
    {
        KernelWidth.Vector512 => Measure<Vector512<float>, Vector512Ops>(),
        KernelWidth.Vector256 => Measure<Vector256<float>, Vector256Ops>(),
        KernelWidth.Vector128 => Measure<Vector128<float>, Vector128Ops>(),
        _ => throw new ArgumentOutOfRangeException(nameof(width), width, "No vector FMA at this width."),
    };

    private static double Measure<TVector, TOps>() where TVector : struct where TOps : struct, IVectorOps<TVector>
    {
        var sink = 0f;
        var best = TimeSpan.MaxValue;
        for (var burst = 0; burst < Bursts; burst++)
        {
            var started = Stopwatch.GetTimestamp();
            sink += Burst<TVector, TOps>();
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (elapsed < best) best = elapsed;
        }
        GC.KeepAlive(sink);
        return 2.0 * TOps.Count * Chains * IterationsPerBurst / best.TotalSeconds;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static unsafe float Burst<TVector, TOps>() where TVector : struct where TOps : struct, IVectorOps<TVector>
    {
        // x -> x * m + a converges to a / (1 - m): no overflow, no denormals, nothing the JIT can fold.
        var m = TOps.Broadcast(0.999f);
        var a = TOps.Broadcast(0.001f);
        TVector c0 = TOps.Broadcast(1f), c1 = TOps.Broadcast(2f), c2 = TOps.Broadcast(3f), c3 = TOps.Broadcast(4f), c4 = TOps.Broadcast(5f);
        TVector c5 = TOps.Broadcast(6f), c6 = TOps.Broadcast(7f), c7 = TOps.Broadcast(8f), c8 = TOps.Broadcast(9f), c9 = TOps.Broadcast(10f);
        for (var i = 0; i < IterationsPerBurst; i++)
        {
            c0 = TOps.MultiplyAdd(c0, m, a); c1 = TOps.MultiplyAdd(c1, m, a); c2 = TOps.MultiplyAdd(c2, m, a);
            c3 = TOps.MultiplyAdd(c3, m, a); c4 = TOps.MultiplyAdd(c4, m, a); c5 = TOps.MultiplyAdd(c5, m, a);
            c6 = TOps.MultiplyAdd(c6, m, a); c7 = TOps.MultiplyAdd(c7, m, a); c8 = TOps.MultiplyAdd(c8, m, a);
            c9 = TOps.MultiplyAdd(c9, m, a);
        }
        var lanes = stackalloc float[TOps.Count];
        var sum = 0f;
        foreach (var c in new[] { c0, c1, c2, c3, c4, c5, c6, c7, c8, c9 })
        {
            TOps.Store(c, lanes);
            sum += lanes[0];
        }
        return sum;
    }
}

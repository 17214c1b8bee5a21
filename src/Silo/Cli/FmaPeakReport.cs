using System.Globalization;
using DarwinGrid.Training.Kernels;
using DarwinGrid.Training.Optimization;

namespace DarwinGrid.Silo.Cli;

/// <summary>
/// <c>bench train</c>'s lines on the work of a step against the machine's limit: FLOPs per training
/// token x tokens/s over cores x FLOP per cycle x clock, saying where the clock and the vector width come from.
/// </summary>
internal static class FmaPeakReport
{
    private const int FmaPipes = 2;

    public static IEnumerable<string> Lines(TrainingBenchmarkResult result, ProductKernel products, string productsName)
    {
        yield return $"FLOPs per training token: {result.FlopsPerToken / 1e6:F2} M (matrix products forward and backward, " +
                     $"{result.Layout.Rows} rows x {result.Layout.TokensPerRow} tokens, {result.Layout.AnswerSlots} answer slots, {result.TokensPerMicroBatch:F0} record tokens per micro-batch)";
        var width = products.Width() is not KernelWidth.None and var kernelWidth ? kernelWidth : ProductKernels.Widest();
        if (width == KernelWidth.None)
        {
            yield return "FMA peak: not measured (no vector FMA in the instruction sets this process may use)";
            yield return $"products throughput: {result.FlopsPerToken * result.MedianTokensPerSecond / 1e9:F1} GFLOP/s";
            yield break;
        }
        var widthSource = products.Width() is KernelWidth.None
            ? $"the widest FMA this process may use (IsSupported flags, --cpu), {productsName} being ggml's"
            : $"the {productsName} kernel";
        var perCore = FmaPeak.PerCore(width);
        var peak = result.Threads * perCore;
        // Two FMA pipes per core (Haswell and later, Zen 2 and later, Apple and Neoverse V cores): the
        // clock that gives the measured rate is the one the cores really ran at (boost included).
        var flopPerCycle = (int)width / 32 * 2 * FmaPipes;
        var cpuInfo = CpuInfoMegahertz() is { } mhz ? $"; /proc/cpuinfo cpu MHz says {mhz / 1000:F2} GHz" : "";
        yield return $"FMA peak: {result.Threads} cores x {flopPerCycle} FLOP/cycle x {perCore / flopPerCycle / 1e9:F2} GHz = {peak / 1e9:F1} GFLOP/s " +
                     $"({(int)width}-bit vectors from {widthSource}: {(int)width / 32} lanes x 2 FLOPs x {FmaPipes} FMA pipes; " +
                     $"clock: an FMA loop measured {perCore / 1e9:F1} GFLOP/s on one core, over {flopPerCycle} FLOP/cycle{cpuInfo})";
        var achieved = result.FlopsPerToken * result.MedianTokensPerSecond;
        var perCpuSecond = result.FlopsPerToken * result.MedianTokensPerCpuSecond;
        yield return $"share of the FMA peak: {100 * achieved / peak:F1}% ({achieved / 1e9:F1} GFLOP/s at the median tokens/s on {result.Threads} threads); " +
                     $"{100 * perCpuSecond / perCore:F1}% per CPU-second ({perCpuSecond / 1e9:F1} GFLOP/s per busy core)";
    }

    /// <summary>The first "cpu MHz" of /proc/cpuinfo (Linux); null elsewhere.</summary>
    private static double? CpuInfoMegahertz()
    {
        const string path = "/proc/cpuinfo";
        if (!File.Exists(path)) return null;
        var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith("cpu MHz", StringComparison.Ordinal));
        return line is not null && double.TryParse(line[(line.IndexOf(':') + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var mhz) && mhz > 0
            ? mhz
            : null;
    }
}

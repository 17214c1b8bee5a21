using System.Globalization;
using System.Runtime.InteropServices;

namespace DarwinGrid.Silo.Benchmarks;

/// <summary>
/// The machine a benchmark ran on, as far as the figures depend on it: cores, CPU model, memory,
/// OS and runtime, and the load average (other work on shared cores changes every figure).
/// </summary>
public sealed record MachineDescription(int Cores, string CpuModel, long MemoryBytes, string Os, string Runtime, string LoadAverage, DateTimeOffset Utc)
{
    public static MachineDescription Capture() => new(
        Environment.ProcessorCount,
        ReadCpuModel(),
        ReadMemoryBytes(),
        RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription,
        CurrentLoadAverage(),
        DateTimeOffset.UtcNow);

    /// <summary>The 1-, 5- and 15-minute load averages from /proc/loadavg, or "unknown".</summary>
    public static string CurrentLoadAverage()
    {
        try
        {
            return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "unknown";
        }
    }

    private static string ReadCpuModel()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo")
                .Where(l => l.StartsWith("model name", StringComparison.Ordinal))
                .Select(l => l[(l.IndexOf(':') + 1)..].Trim())
                .FirstOrDefault() ?? RuntimeInformation.ProcessArchitecture.ToString();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
    }

    private static long ReadMemoryBytes()
    {
        try
        {
            var line = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            if (line is not null && long.TryParse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], NumberStyles.None, CultureInfo.InvariantCulture, out var kib))
                return kib * 1024;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Cores} cores ({CpuModel}), {MemoryBytes / (1024.0 * 1024 * 1024):F1} GiB RAM, {Os}, {Runtime}; {Utc:yyyy-MM-dd HH:mm} UTC");
}

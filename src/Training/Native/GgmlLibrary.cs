using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using LLama.Native;

namespace DarwinGrid.Training.Native;

/// <summary>
/// Binds our P/Invoke declarations to the ggml libraries that LLamaSharp already loaded. LLamaSharp
/// picks a CPU variant (noavx/avx/avx2/avx512) at run time; loading another copy would give two
/// ggml instances with separate state, so we force LLamaSharp to load first and then resolve to the
/// exact files that are mapped into this process.
/// </summary>
public static class GgmlLibrary
{
    public const string BaseLibrary = "ggml-base";
    public const string CpuLibrary = "ggml-cpu";

    private static readonly Lazy<GgmlLibraryPaths> Paths = new(LocateLoadedLibraries, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<bool> Registration = new(Register, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The files in use (forces LLamaSharp to load its native libraries if it has not yet).</summary>
    public static GgmlLibraryPaths Loaded => Paths.Value;

    /// <summary>
    /// Makes LLamaSharp load the ggml build for <paramref name="build"/> instead of the widest one the CPU
    /// runs (to play a machine with fewer instruction sets on this one). Must come before anything native
    /// is loaded; the variant in use is <see cref="GgmlLibraryPaths.Variant"/> of <see cref="Loaded"/>.
    /// </summary>
    public static void UseBuild(CpuBuild build)
    {
        if (build == CpuBuild.Auto) return;
        var (level, supported) = build switch
        {
            CpuBuild.Avx512 => (AvxLevel.Avx512, Avx512F.IsSupported),
            CpuBuild.Avx2 => (AvxLevel.Avx2, Avx2.IsSupported && Fma.IsSupported),
            CpuBuild.Avx => (AvxLevel.Avx, Avx.IsSupported),
            _ => (AvxLevel.None, true),
        };
        if (!supported)
            throw new NotSupportedException($"This CPU cannot run ggml's {build.ToString().ToLowerInvariant()} build.");
        if (NativeLibraryConfig.LLama.LibraryHasLoaded)
        {
            if (Loaded.Variant == VariantName(build)) return;
            throw new InvalidOperationException($"ggml's {Loaded.Variant} build is already loaded in this process; the {build} build must be chosen before anything native loads.");
        }
        // LLamaSharp's fallback stays on (without it no candidate loads in 0.30.0); the variant that loaded is checked instead.
        NativeLibraryConfig.All.WithAvx(level);
        _requestedVariant = VariantName(build);
    }

    private static string? _requestedVariant;

    private static string VariantName(CpuBuild build) => build.ToString().ToLowerInvariant();

    /// <summary>Installs the resolver once for this assembly; every native entry point calls it first.</summary>
    public static void EnsureRegistered() => _ = Registration.Value;

    private static bool Register()
    {
        NativeLibrary.SetDllImportResolver(typeof(GgmlLibrary).Assembly, Resolve);
        return true;
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath) => name switch
    {
        BaseLibrary => NativeLibrary.Load(Loaded.BasePath),
        CpuLibrary => NativeLibrary.Load(Loaded.CpuPath),
        _ => IntPtr.Zero,
    };

    private static GgmlLibraryPaths LocateLoadedLibraries()
    {
        // Any call into llama makes LLamaSharp choose and load its variant (with ggml as dependencies).
        NativeApi.llama_empty_call();
        var mapped = MappedFiles();
        var basePath = mapped.FirstOrDefault(p => IsLibrary(p, BaseLibrary))
            ?? throw new InvalidOperationException(
                $"LLamaSharp is loaded but no '{BaseLibrary}' library is mapped into the process; mapped native files: " +
                string.Join(", ", mapped.Where(p => p.Contains("ggml") || p.Contains("llama"))));
        var cpuPath = mapped.FirstOrDefault(p => IsLibrary(p, CpuLibrary))
            ?? Directory.EnumerateFiles(Path.GetDirectoryName(basePath)!).FirstOrDefault(p => IsLibrary(p, CpuLibrary))
            ?? throw new InvalidOperationException($"No '{CpuLibrary}' library next to '{basePath}'.");
        var paths = new GgmlLibraryPaths(basePath, cpuPath);
        if (_requestedVariant is { } requested && paths.Variant != requested)
            throw new InvalidOperationException($"LLamaSharp loaded ggml's {paths.Variant} build ({basePath}), not the {requested} build asked for.");
        return paths;
    }

    private static List<string> MappedFiles()
    {
        if (OperatingSystem.IsLinux())
        {
            // Lines look like "addr perms offset dev inode   /path/to/file".
            return File.ReadLines("/proc/self/maps")
                .Select(line => line.IndexOf('/') is var slash and >= 0 ? line[slash..].Trim() : null)
                .OfType<string>()
                .Distinct(StringComparer.Ordinal)
                .ToList();
        }
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return process.Modules.Cast<System.Diagnostics.ProcessModule>().Select(m => m.FileName).Distinct().ToList();
    }

    private static bool IsLibrary(string path, string name)
    {
        var file = Path.GetFileName(path);
        return file == $"lib{name}.so" || file == $"{name}.dll" || file == $"lib{name}.dylib";
    }
}

/// <summary>The ggml library files LLamaSharp loaded (the variant directory tells which CPU build).</summary>
public sealed record GgmlLibraryPaths(string BasePath, string CpuPath)
{
    public string Variant => Path.GetFileName(Path.GetDirectoryName(BasePath)) ?? "";
}

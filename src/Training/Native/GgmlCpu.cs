using System.Runtime.InteropServices;

namespace DarwinGrid.Training.Native;

/// <summary>P/Invoke declarations for libggml-cpu (the CPU backend).</summary>
public static partial class GgmlCpu
{
    private const string Lib = GgmlLibrary.CpuLibrary;

    static GgmlCpu() => GgmlLibrary.EnsureRegistered();

    [LibraryImport(Lib)] public static partial nint ggml_backend_cpu_init();
    [LibraryImport(Lib)] public static partial void ggml_backend_cpu_set_n_threads(nint backend, int threads);
}

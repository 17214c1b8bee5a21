namespace DarwinGrid.Training.Native;

/// <summary>Which of LLamaSharp's per-instruction-set ggml builds to load (and, for our kernels, the widest vectors to use).</summary>
public enum CpuBuild
{
    /// <summary>LLamaSharp's own choice: the widest build this CPU runs.</summary>
    Auto,
    Avx512,
    Avx2,
    Avx,
    NoAvx,
}

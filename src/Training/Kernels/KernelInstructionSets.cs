using DarwinGrid.Training.Native;

namespace DarwinGrid.Training.Kernels;

/// <summary>
/// The instruction sets this process lets itself use: by default everything the CPU has; with
/// <see cref="Use"/> a narrower machine is played on this one (ggml's build for that instruction set
/// and no C# kernel wider than it), so both sides of a kernel comparison run here.
/// </summary>
public static class KernelInstructionSets
{
    /// <summary>The widest C# kernel allowed (the CPU may support less).</summary>
    public static KernelWidth Limit { get; private set; } = KernelWidth.Vector512;

    /// <summary>Loads ggml's build for <paramref name="build"/> (before anything native is loaded) and caps the C# kernels to it.</summary>
    public static void Use(CpuBuild build)
    {
        GgmlLibrary.UseBuild(build);
        Limit = build switch
        {
            CpuBuild.Auto or CpuBuild.Avx512 => KernelWidth.Vector512,
            CpuBuild.Avx2 => KernelWidth.Vector256,
            // AVX without AVX2 has no FMA; the 128-bit kernel needs it.
            _ => KernelWidth.None,
        };
    }
}

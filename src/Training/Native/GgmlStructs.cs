using System.Runtime.InteropServices;

namespace DarwinGrid.Training.Native;

/// <summary><c>struct ggml_init_params</c> in this build: 24 bytes, C bool as one byte.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct GgmlInitParams
{
    public nuint MemSize;
    public nint MemBuffer;
    public byte NoAlloc;
}

/// <summary>
/// <c>struct ggml_opt_optimizer_params</c> in this build: 28 bytes (AdamW alpha, beta1, beta2, eps,
/// wd; SGD alpha, wd). Newer upstream headers add a gradient-clip field; this build has none.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public struct GgmlOptimizerParams
{
    public float AdamAlpha;
    public float AdamBeta1;
    public float AdamBeta2;
    public float AdamEps;
    public float AdamWeightDecay;
    public float SgdAlpha;
    public float SgdWeightDecay;
}

/// <summary>ggml element types used by the trainer (values fixed by ggml).</summary>
public enum GgmlTensorType
{
    F32 = 0,
    F16 = 1,
    I32 = 26,
}

/// <summary>RoPE modes: llama.cpp's <c>llama</c> architecture uses NORM (adjacent pairs rotated).</summary>
public static class GgmlRopeMode
{
    public const int Norm = 0;
    public const int Neox = 2;
}

/// <summary><c>enum ggml_status</c>.</summary>
public enum GgmlStatus
{
    AllocFailed = -2,
    Failed = -1,
    Success = 0,
    Aborted = 1,
}

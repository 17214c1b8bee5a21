using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace DarwinGrid.Training.Kernels;

/// <summary>AVX-512: 16 floats per register, 32 registers, so 32 x 8 tiles.</summary>
public readonly unsafe struct Vector512Ops : IVectorOps<Vector512<float>>
{
    public static int Count => Vector512<float>.Count;
    public static int TileColumns => 8;
    public static bool IsSupported => Avx512F.IsSupported && KernelInstructionSets.Limit >= KernelWidth.Vector512;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Load(float* source) => Vector512.Load(source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector512<float> value, float* destination) => value.Store(destination);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Broadcast(float value) => Vector512.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Avx512F.FusedMultiplyAdd(a, b, c);
}

/// <summary>AVX2 + FMA: 8 floats per register, 16 registers, so 16 x 6 tiles (12 accumulators).</summary>
public readonly unsafe struct Vector256Ops : IVectorOps<Vector256<float>>
{
    public static int Count => Vector256<float>.Count;
    public static int TileColumns => 6;
    public static bool IsSupported => Avx2.IsSupported && Fma.IsSupported && KernelInstructionSets.Limit >= KernelWidth.Vector256;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Load(float* source) => Vector256.Load(source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector256<float> value, float* destination) => value.Store(destination);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Broadcast(float value) => Vector256.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) => Fma.MultiplyAdd(a, b, c);
}

/// <summary>
/// 128-bit: ARM AdvSimd (32 registers: 8 x 8 tiles) or x86 SSE with FMA (16 registers: 8 x 6 tiles).
/// Without hardware FMA Vector128.FusedMultiplyAdd would be emulated in software, so such CPUs use ggml.
/// </summary>
public readonly unsafe struct Vector128Ops : IVectorOps<Vector128<float>>
{
    public static int Count => Vector128<float>.Count;
    public static int TileColumns => AdvSimd.IsSupported ? 8 : 6;
    public static bool IsSupported => (AdvSimd.IsSupported || Fma.IsSupported) && KernelInstructionSets.Limit >= KernelWidth.Vector128;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Load(float* source) => Vector128.Load(source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector128<float> value, float* destination) => value.Store(destination);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Broadcast(float value) => Vector128.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) => Vector128.FusedMultiplyAdd(a, b, c);
}

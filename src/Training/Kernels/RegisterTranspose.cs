using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace DarwinGrid.Training.Kernels;

/// <summary>An 8 x 8 block of floats transposed through AVX registers (the caller checks <c>Avx.IsSupported</c>).</summary>
internal static unsafe class RegisterTranspose
{
    /// <summary>to[c * toStride + r] = from[r * fromStride + c] for r, c in 0..7.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Transpose8x8(float* from, long fromStride, float* to, long toStride)
    {
        var r0 = Avx.LoadVector256(from);
        var r1 = Avx.LoadVector256(from + fromStride);
        var r2 = Avx.LoadVector256(from + 2 * fromStride);
        var r3 = Avx.LoadVector256(from + 3 * fromStride);
        var r4 = Avx.LoadVector256(from + 4 * fromStride);
        var r5 = Avx.LoadVector256(from + 5 * fromStride);
        var r6 = Avx.LoadVector256(from + 6 * fromStride);
        var r7 = Avx.LoadVector256(from + 7 * fromStride);
        // Within 128-bit lanes: pairs, then quadruples of rows; then the lanes are swapped into place.
        var t0 = Avx.UnpackLow(r0, r1);
        var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3);
        var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5);
        var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7);
        var t7 = Avx.UnpackHigh(r6, r7);
        var s0 = Avx.Shuffle(t0, t2, 0x44);
        var s1 = Avx.Shuffle(t0, t2, 0xEE);
        var s2 = Avx.Shuffle(t1, t3, 0x44);
        var s3 = Avx.Shuffle(t1, t3, 0xEE);
        var s4 = Avx.Shuffle(t4, t6, 0x44);
        var s5 = Avx.Shuffle(t4, t6, 0xEE);
        var s6 = Avx.Shuffle(t5, t7, 0x44);
        var s7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(to, Avx.Permute2x128(s0, s4, 0x20));
        Avx.Store(to + toStride, Avx.Permute2x128(s1, s5, 0x20));
        Avx.Store(to + 2 * toStride, Avx.Permute2x128(s2, s6, 0x20));
        Avx.Store(to + 3 * toStride, Avx.Permute2x128(s3, s7, 0x20));
        Avx.Store(to + 4 * toStride, Avx.Permute2x128(s0, s4, 0x31));
        Avx.Store(to + 5 * toStride, Avx.Permute2x128(s1, s5, 0x31));
        Avx.Store(to + 6 * toStride, Avx.Permute2x128(s2, s6, 0x31));
        Avx.Store(to + 7 * toStride, Avx.Permute2x128(s3, s7, 0x31));
    }
}

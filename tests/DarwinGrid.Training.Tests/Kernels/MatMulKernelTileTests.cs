using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using DarwinGrid.Training.Kernels;
using Xunit.Abstractions;

namespace DarwinGrid.Training.Tests.Kernels;

/// <summary>
/// The generic kernel's tile shapes, each on a width this CPU runs: 8 columns (AVX-512's tiles and
/// ARM's 128-bit ones, whose own instructions cannot run on an x86 machine) and 6 columns (AVX2 and
/// SSE), against a double-precision sum, on every remainder and on both layouts B is read in place.
/// </summary>
public sealed unsafe class MatMulKernelTileTests(ITestOutputHelper output)
{
    /// <summary>The 256-bit operations with AVX-512's and ARM's tile of 8 columns.</summary>
    private readonly struct Vector256EightColumns : IVectorOps<Vector256<float>>
    {
        public static int Count => Vector256Ops.Count;
        public static int TileColumns => 8;
        public static bool IsSupported => Vector256Ops.IsSupported;
        public static Vector256<float> Load(float* source) => Vector256Ops.Load(source);
        public static void Store(Vector256<float> value, float* destination) => Vector256Ops.Store(value, destination);
        public static Vector256<float> Broadcast(float value) => Vector256Ops.Broadcast(value);
        public static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) => Vector256Ops.MultiplyAdd(a, b, c);
    }

    /// <summary>The 128-bit operations with ARM's tile of 8 columns (8 x 8), run here on SSE + FMA.</summary>
    private readonly struct Vector128EightColumns : IVectorOps<Vector128<float>>
    {
        public static int Count => Vector128Ops.Count;
        public static int TileColumns => 8;
        public static bool IsSupported => Vector128Ops.IsSupported;
        public static Vector128<float> Load(float* source) => Vector128Ops.Load(source);
        public static void Store(Vector128<float> value, float* destination) => Vector128Ops.Store(value, destination);
        public static Vector128<float> Broadcast(float value) => Vector128Ops.Broadcast(value);
        public static Vector128<float> MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) => Vector128Ops.MultiplyAdd(a, b, c);
    }

    public enum Tile { Wide256, Six256, Wide128, Six128 }

    [Theory]
    [InlineData(Tile.Wide256)]
    [InlineData(Tile.Six256)]
    [InlineData(Tile.Wide128)]
    [InlineData(Tile.Six128)]
    public void EveryTileShapeEqualsADoubleSumOnEveryRemainderAndLayout(Tile tile)
    {
        var (supported, tileRows, tileColumns) = tile switch
        {
            Tile.Wide256 => (Vector256EightColumns.IsSupported, MatMulKernel<Vector256<float>, Vector256EightColumns>.TileRows, 8),
            Tile.Six256 => (Vector256Ops.IsSupported, MatMulKernel<Vector256<float>, Vector256Ops>.TileRows, Vector256Ops.TileColumns),
            Tile.Wide128 => (Vector128EightColumns.IsSupported, MatMulKernel<Vector128<float>, Vector128EightColumns>.TileRows, 8),
            _ => (Vector128Ops.IsSupported, MatMulKernel<Vector128<float>, Vector128Ops>.TileRows, Vector128Ops.TileColumns),
        };
        Assert.True(supported, $"{tile} needs a CPU with FMA (x86) or AdvSimd (ARM); this test machine has one");
        var random = new Random(7);
        // Whole tiles, then one row/column short and one past, for each layout of B the kernel reads in place or packs.
        foreach (var rows in new[] { tileRows, 2 * tileRows + 3, tileRows - 1 })
        foreach (var columns in new[] { tileColumns, 3 * tileColumns, tileColumns + 1, tileColumns - 1 })
        foreach (var depth in new[] { 1, 9, 40 })
        foreach (var bDepthMajor in new[] { false, true })
        {
            var error = Check(tile, random, rows, columns, depth, bDepthMajor);
            Assert.True(error < 1e-5, $"{tile} {rows} x {columns} x {depth} (B depth-major {bDepthMajor}): relative error {error:E3}");
        }
        output.WriteLine($"{tile}: {tileRows} x {tileColumns} tiles, every case within 1e-5");
    }

    private static double Check(Tile tile, Random random, int rows, int columns, int depth, bool bDepthMajor)
    {
        var a = Values(random, rows * depth);
        var b = Values(random, columns * depth);
        var c = new float[rows * columns];
        fixed (float* pa = a, pb = b, pc = c)
        {
            // A(m, k) = a[m * depth + k] (mul_mat's first operand); B(n, k) as a[n * depth + k] or a[k * columns + n].
            var aOperand = new MatMulOperand(pa, depth, 1);
            var bOperand = bDepthMajor ? new MatMulOperand(pb, 1, columns) : new MatMulOperand(pb, depth, 1);
            switch (tile)
            {
                case Tile.Wide256: Multiply<Vector256<float>, Vector256EightColumns>(aOperand, bOperand, pc, rows, columns, depth); break;
                case Tile.Six256: Multiply<Vector256<float>, Vector256Ops>(aOperand, bOperand, pc, rows, columns, depth); break;
                case Tile.Wide128: Multiply<Vector128<float>, Vector128EightColumns>(aOperand, bOperand, pc, rows, columns, depth); break;
                default: Multiply<Vector128<float>, Vector128Ops>(aOperand, bOperand, pc, rows, columns, depth); break;
            }
            var worst = 0.0;
            for (var m = 0; m < rows; m++)
            for (var n = 0; n < columns; n++)
            {
                double sum = 0, magnitude = 0;
                for (var k = 0; k < depth; k++)
                {
                    var term = (double)aOperand[m, k] * bOperand[n, k];
                    sum += term;
                    magnitude += Math.Abs(term);
                }
                worst = Math.Max(worst, Math.Abs(sum - c[m + n * rows]) / Math.Max(magnitude, 1e-30));
            }
            return worst;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Multiply<TVector, TOps>(MatMulOperand a, MatMulOperand b, float* c, int rows, int columns, int depth)
        where TVector : struct where TOps : struct, IVectorOps<TVector>
    {
        var scratch = new float[MatMulKernel<TVector, TOps>.ScratchLength(depth) + 16];
        fixed (float* s = scratch)
        {
            var aligned = (float*)(((nint)s + 63) & ~(nint)63);
            MatMulKernel<TVector, TOps>.Multiply(a, b, c, rows, depth, 0, rows, 0, columns, aligned);
        }
    }

    private static float[] Values(Random random, int count) => Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
}

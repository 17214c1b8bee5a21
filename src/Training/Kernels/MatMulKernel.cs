using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace DarwinGrid.Training.Kernels;

/// <summary>One F32 operand of a product: element (row r, depth k) at <c>Data[r * RowStride + k * DepthStride]</c>.</summary>
public readonly unsafe struct MatMulOperand(float* data, long rowStride, long depthStride)
{
    public float* Data { get; } = data;
    public long RowStride { get; } = rowStride;
    public long DepthStride { get; } = depthStride;

    public float this[long row, long depth] => Data[row * RowStride + depth * DepthStride];
}

/// <summary>
/// F32 matrix product <c>C[m + n * ldc] = sum_k A(m, k) B(n, k)</c> for AVX-512, with any operand
/// strides. llamafile's sgemm (ggml's F32 mul_mat) keeps one 16-wide accumulator per output element
/// and reduces it horizontally at the end, which at the contraction lengths of a small model (128,
/// 352) reached ~33 GFLOP/s on one core here; this kernel keeps 32 x 8 outputs in 16 registers,
/// 32 consecutive rows of A as two vectors times one broadcast element of B per column, and needs
/// no reduction: ~110 GFLOP/s on the same shapes. A block of 32 rows of A is packed depth-major once
/// and reused for every column tile; B is read in place when one of its strides is 1.
/// </summary>
public static unsafe class MatMulKernel
{
    public const int TileRows = 32;
    public const int TileColumns = 8;

    public static bool IsSupported => Avx512F.IsSupported;

    /// <summary>Floats of scratch <see cref="Multiply"/> needs for a contraction of <paramref name="depth"/>.</summary>
    public static long ScratchLength(long depth) => (TileRows + TileColumns) * depth + TileRows * TileColumns;

    /// <summary>
    /// Computes rows [<paramref name="rowStart"/>, <paramref name="rowEnd"/>) and columns
    /// [<paramref name="columnStart"/>, <paramref name="columnEnd"/>) of C; <paramref name="rowStart"/>
    /// must be a multiple of <see cref="TileRows"/> or the range must be all rows. <paramref name="scratch"/>
    /// holds <see cref="ScratchLength"/> floats (64-byte aligned).
    /// </summary>
    public static void Multiply(MatMulOperand a, MatMulOperand b, float* c, long ldc, long depth,
        long rowStart, long rowEnd, long columnStart, long columnEnd, float* scratch)
    {
        var packedA = scratch;
        var packedB = scratch + TileRows * depth;
        var partial = packedB + TileColumns * depth;
        for (var m0 = rowStart; m0 < rowEnd; m0 += TileRows)
        {
            var rows = (int)Math.Min(TileRows, rowEnd - m0);
            PackRows(a, m0, rows, depth, packedA);
            for (var n0 = columnStart; n0 < columnEnd; n0 += TileColumns)
            {
                var columns = (int)Math.Min(TileColumns, columnEnd - n0);
                var whole = rows == TileRows && columns == TileColumns;
                var target = whole ? c + m0 + n0 * ldc : partial;
                var targetStride = whole ? ldc : TileRows;
                if (columns == TileColumns && b.DepthStride == 1)
                    TileOverColumns(packedA, b.Data + n0 * b.RowStride, b.RowStride, depth, target, targetStride);
                else if (columns == TileColumns && b.RowStride == 1)
                    TileOverRows(packedA, b.Data + n0, b.DepthStride, depth, target, targetStride);
                else
                {
                    PackColumns(b, n0, columns, depth, packedB);
                    TileOverRows(packedA, packedB, TileColumns, depth, target, targetStride);
                }
                if (!whole)
                {
                    for (var j = 0; j < columns; j++)
                        new ReadOnlySpan<float>(partial + j * TileRows, rows).CopyTo(new Span<float>(c + m0 + (n0 + j) * ldc, rows));
                }
            }
        }
    }

    /// <summary>packed[k * 32 + i] = A(m0 + i, k), zero for rows past the end.</summary>
    private static void PackRows(MatMulOperand a, long m0, int rows, long depth, float* packed)
    {
        if (rows < TileRows) new Span<float>(packed, (int)(TileRows * depth)).Clear();
        var first = a.Data + m0 * a.RowStride;
        if (a.RowStride == 1 && rows == TileRows)
        {
            for (long k = 0; k < depth; k++)
            {
                var from = first + k * a.DepthStride;
                Vector512.Store(Vector512.Load(from), packed + k * TileRows);
                Vector512.Store(Vector512.Load(from + 16), packed + k * TileRows + 16);
            }
            return;
        }
        var done = 0L;
        if (a.DepthStride == 1 && rows == TileRows)
        {
            // Rows contiguous in k (mul_mat's first operand): 8 x 8 register transposes.
            done = depth / 8 * 8;
            for (var i = 0; i < TileRows; i += 8)
            for (long k = 0; k < done; k += 8)
                RegisterTranspose.Transpose8x8(first + i * a.RowStride + k, a.RowStride, packed + k * TileRows + i, TileRows);
        }
        for (var i = 0; i < rows; i++)
        {
            var row = first + i * a.RowStride;
            for (var k = done; k < depth; k++) packed[k * TileRows + i] = row[k * a.DepthStride];
        }
    }

    /// <summary>packed[k * 8 + j] = B(n0 + j, k), zero for columns past the end.</summary>
    private static void PackColumns(MatMulOperand b, long n0, int columns, long depth, float* packed)
    {
        for (long k = 0; k < depth; k++)
        for (var j = 0; j < TileColumns; j++)
            packed[k * TileColumns + j] = j < columns ? b[n0 + j, k] : 0f;
    }

    /// <summary>A 32 x 8 tile with B's columns contiguous in k: B(j, k) = b[j * columnStride + k].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TileOverColumns(float* packedA, float* b, long columnStride, long depth, float* c, long ldc)
    {
        Vector512<float> c00 = default, c01 = default, c02 = default, c03 = default, c04 = default, c05 = default, c06 = default, c07 = default;
        Vector512<float> c10 = default, c11 = default, c12 = default, c13 = default, c14 = default, c15 = default, c16 = default, c17 = default;
        float* b0 = b, b1 = b + columnStride, b2 = b + 2 * columnStride, b3 = b + 3 * columnStride;
        float* b4 = b + 4 * columnStride, b5 = b + 5 * columnStride, b6 = b + 6 * columnStride, b7 = b + 7 * columnStride;
        var ap = packedA;
        for (long k = 0; k < depth; k++, ap += TileRows)
        {
            var a0 = Vector512.Load(ap);
            var a1 = Vector512.Load(ap + 16);
            var v = Vector512.Create(b0[k]); c00 = Avx512F.FusedMultiplyAdd(a0, v, c00); c10 = Avx512F.FusedMultiplyAdd(a1, v, c10);
            v = Vector512.Create(b1[k]); c01 = Avx512F.FusedMultiplyAdd(a0, v, c01); c11 = Avx512F.FusedMultiplyAdd(a1, v, c11);
            v = Vector512.Create(b2[k]); c02 = Avx512F.FusedMultiplyAdd(a0, v, c02); c12 = Avx512F.FusedMultiplyAdd(a1, v, c12);
            v = Vector512.Create(b3[k]); c03 = Avx512F.FusedMultiplyAdd(a0, v, c03); c13 = Avx512F.FusedMultiplyAdd(a1, v, c13);
            v = Vector512.Create(b4[k]); c04 = Avx512F.FusedMultiplyAdd(a0, v, c04); c14 = Avx512F.FusedMultiplyAdd(a1, v, c14);
            v = Vector512.Create(b5[k]); c05 = Avx512F.FusedMultiplyAdd(a0, v, c05); c15 = Avx512F.FusedMultiplyAdd(a1, v, c15);
            v = Vector512.Create(b6[k]); c06 = Avx512F.FusedMultiplyAdd(a0, v, c06); c16 = Avx512F.FusedMultiplyAdd(a1, v, c16);
            v = Vector512.Create(b7[k]); c07 = Avx512F.FusedMultiplyAdd(a0, v, c07); c17 = Avx512F.FusedMultiplyAdd(a1, v, c17);
        }
        Store(c, ldc, c00, c10, c01, c11, c02, c12, c03, c13, c04, c14, c05, c15, c06, c16, c07, c17);
    }

    /// <summary>A 32 x 8 tile with B's rows contiguous in the column index: B(j, k) = b[k * depthStride + j].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TileOverRows(float* packedA, float* b, long depthStride, long depth, float* c, long ldc)
    {
        Vector512<float> c00 = default, c01 = default, c02 = default, c03 = default, c04 = default, c05 = default, c06 = default, c07 = default;
        Vector512<float> c10 = default, c11 = default, c12 = default, c13 = default, c14 = default, c15 = default, c16 = default, c17 = default;
        var ap = packedA;
        var bk = b;
        for (long k = 0; k < depth; k++, ap += TileRows, bk += depthStride)
        {
            var a0 = Vector512.Load(ap);
            var a1 = Vector512.Load(ap + 16);
            var v = Vector512.Create(bk[0]); c00 = Avx512F.FusedMultiplyAdd(a0, v, c00); c10 = Avx512F.FusedMultiplyAdd(a1, v, c10);
            v = Vector512.Create(bk[1]); c01 = Avx512F.FusedMultiplyAdd(a0, v, c01); c11 = Avx512F.FusedMultiplyAdd(a1, v, c11);
            v = Vector512.Create(bk[2]); c02 = Avx512F.FusedMultiplyAdd(a0, v, c02); c12 = Avx512F.FusedMultiplyAdd(a1, v, c12);
            v = Vector512.Create(bk[3]); c03 = Avx512F.FusedMultiplyAdd(a0, v, c03); c13 = Avx512F.FusedMultiplyAdd(a1, v, c13);
            v = Vector512.Create(bk[4]); c04 = Avx512F.FusedMultiplyAdd(a0, v, c04); c14 = Avx512F.FusedMultiplyAdd(a1, v, c14);
            v = Vector512.Create(bk[5]); c05 = Avx512F.FusedMultiplyAdd(a0, v, c05); c15 = Avx512F.FusedMultiplyAdd(a1, v, c15);
            v = Vector512.Create(bk[6]); c06 = Avx512F.FusedMultiplyAdd(a0, v, c06); c16 = Avx512F.FusedMultiplyAdd(a1, v, c16);
            v = Vector512.Create(bk[7]); c07 = Avx512F.FusedMultiplyAdd(a0, v, c07); c17 = Avx512F.FusedMultiplyAdd(a1, v, c17);
        }
        Store(c, ldc, c00, c10, c01, c11, c02, c12, c03, c13, c04, c14, c05, c15, c06, c16, c07, c17);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, long ldc,
        Vector512<float> c00, Vector512<float> c10, Vector512<float> c01, Vector512<float> c11,
        Vector512<float> c02, Vector512<float> c12, Vector512<float> c03, Vector512<float> c13,
        Vector512<float> c04, Vector512<float> c14, Vector512<float> c05, Vector512<float> c15,
        Vector512<float> c06, Vector512<float> c16, Vector512<float> c07, Vector512<float> c17)
    {
        c00.Store(c); c10.Store(c + 16); c += ldc;
        c01.Store(c); c11.Store(c + 16); c += ldc;
        c02.Store(c); c12.Store(c + 16); c += ldc;
        c03.Store(c); c13.Store(c + 16); c += ldc;
        c04.Store(c); c14.Store(c + 16); c += ldc;
        c05.Store(c); c15.Store(c + 16); c += ldc;
        c06.Store(c); c16.Store(c + 16); c += ldc;
        c07.Store(c); c17.Store(c + 16);
    }
}

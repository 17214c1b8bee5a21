using System.Runtime.CompilerServices;
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
/// F32 matrix product <c>C[m + n * ldc] = sum_k A(m, k) B(n, k)</c>, with any operand strides, on
/// vectors of <typeparamref name="TVector"/> (512, 256 or 128 bits; see <see cref="IVectorOps{TVector}"/>).
/// llamafile's sgemm (ggml's F32 mul_mat) keeps one vector accumulator per output element and reduces
/// it horizontally at the end, which at the contraction lengths of a small model (128, 352) reached
/// ~33 GFLOP/s on one core here; this kernel keeps a tile of 2 vectors of rows x
/// <see cref="IVectorOps{TVector}.TileColumns"/> columns of C in registers, consecutive rows of A as
/// two vectors times one broadcast element of B per column, and needs no reduction (AVX-512, 32 x 8:
/// ~110 GFLOP/s on the same shapes). A block of rows of A is packed depth-major once and reused for
/// every column tile; B is read in place when one of its strides is 1.
/// </summary>
public static unsafe class MatMulKernel<TVector, TOps> where TVector : struct where TOps : struct, IVectorOps<TVector>
{
    public static int TileRows => 2 * TOps.Count;
    public static int TileColumns => TOps.TileColumns;

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

    /// <summary>packed[k * TileRows + i] = A(m0 + i, k), zero for rows past the end.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // once per block of rows; kept apart so profiles show packing and tiles separately
    private static void PackRows(MatMulOperand a, long m0, int rows, long depth, float* packed)
    {
        var tileRows = TileRows;
        if (rows < tileRows) new Span<float>(packed, (int)(tileRows * depth)).Clear();
        var first = a.Data + m0 * a.RowStride;
        if (a.RowStride == 1 && rows == tileRows)
        {
            for (long k = 0; k < depth; k++)
            {
                var from = first + k * a.DepthStride;
                TOps.Store(TOps.Load(from), packed + k * tileRows);
                TOps.Store(TOps.Load(from + TOps.Count), packed + k * tileRows + TOps.Count);
            }
            return;
        }
        var done = 0L;
        if (a.DepthStride == 1 && rows == tileRows && Avx.IsSupported)
        {
            // Rows contiguous in k (mul_mat's first operand): 8 x 8 register transposes (tiles are 8, 16 or 32 rows).
            done = depth / 8 * 8;
            for (var i = 0; i < tileRows; i += 8)
            for (long k = 0; k < done; k += 8)
                RegisterTranspose.Transpose8x8(first + i * a.RowStride + k, a.RowStride, packed + k * tileRows + i, tileRows);
        }
        for (var i = 0; i < rows; i++)
        {
            var row = first + i * a.RowStride;
            for (var k = done; k < depth; k++) packed[k * tileRows + i] = row[k * a.DepthStride];
        }
    }

    /// <summary>packed[k * TileColumns + j] = B(n0 + j, k), zero for columns past the end.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void PackColumns(MatMulOperand b, long n0, int columns, long depth, float* packed)
    {
        var tileColumns = TileColumns;
        for (long k = 0; k < depth; k++)
        for (var j = 0; j < tileColumns; j++)
            packed[k * tileColumns + j] = j < columns ? b[n0 + j, k] : 0f;
    }

    /// <summary>A tile with B's columns contiguous in k: B(j, k) = b[j * columnStride + k].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static void TileOverColumns(float* packedA, float* b, long columnStride, long depth, float* c, long ldc)
    {
        var tile = new Tile();
        float* b0 = b, b1 = b + columnStride, b2 = b + 2 * columnStride, b3 = b + 3 * columnStride;
        float* b4 = b + 4 * columnStride, b5 = b + 5 * columnStride, b6 = b + 6 * columnStride, b7 = b + 7 * columnStride;
        var ap = packedA;
        for (long k = 0; k < depth; k++, ap += TileRows)
            tile.Step(ap, b0 + k, b1 + k, b2 + k, b3 + k, b4 + k, b5 + k, b6 + k, b7 + k);
        tile.Store(c, ldc);
    }

    /// <summary>A tile with B's rows contiguous in the column index: B(j, k) = b[k * depthStride + j].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static void TileOverRows(float* packedA, float* b, long depthStride, long depth, float* c, long ldc)
    {
        var tile = new Tile();
        var ap = packedA;
        var bk = b;
        for (long k = 0; k < depth; k++, ap += TileRows, bk += depthStride)
            tile.Step(ap, bk, bk + 1, bk + 2, bk + 3, bk + 4, bk + 5, bk + 6, bk + 7);
        tile.Store(c, ldc);
    }

    /// <summary>
    /// The accumulators of one tile: column j of rows 0..2W-1 in (c0j, c1j). Columns 6 and 7 exist only
    /// where <see cref="IVectorOps{TVector}.TileColumns"/> is 8; the test is a JIT-time constant, so
    /// narrower widths neither compute nor keep registers for them.
    /// </summary>
    private struct Tile
    {
        private TVector _c00, _c01, _c02, _c03, _c04, _c05, _c06, _c07;
        private TVector _c10, _c11, _c12, _c13, _c14, _c15, _c16, _c17;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        /// <summary>
        /// One step of the contraction: B's elements are passed by address and broadcast straight from
        /// memory as they are used (passed by value, all would be loaded first and push accumulators
        /// out of the 16 registers of AVX2). b6 and b7 are read only with 8 columns.
        /// </summary>
        public void Step(float* ap, float* b0, float* b1, float* b2, float* b3, float* b4, float* b5, float* b6, float* b7)
        {
            var a0 = TOps.Load(ap);
            var a1 = TOps.Load(ap + TOps.Count);
            var v = TOps.Broadcast(*b0); _c00 = TOps.MultiplyAdd(a0, v, _c00); _c10 = TOps.MultiplyAdd(a1, v, _c10);
            v = TOps.Broadcast(*b1); _c01 = TOps.MultiplyAdd(a0, v, _c01); _c11 = TOps.MultiplyAdd(a1, v, _c11);
            v = TOps.Broadcast(*b2); _c02 = TOps.MultiplyAdd(a0, v, _c02); _c12 = TOps.MultiplyAdd(a1, v, _c12);
            v = TOps.Broadcast(*b3); _c03 = TOps.MultiplyAdd(a0, v, _c03); _c13 = TOps.MultiplyAdd(a1, v, _c13);
            v = TOps.Broadcast(*b4); _c04 = TOps.MultiplyAdd(a0, v, _c04); _c14 = TOps.MultiplyAdd(a1, v, _c14);
            v = TOps.Broadcast(*b5); _c05 = TOps.MultiplyAdd(a0, v, _c05); _c15 = TOps.MultiplyAdd(a1, v, _c15);
            if (TOps.TileColumns == 8)
            {
                v = TOps.Broadcast(*b6); _c06 = TOps.MultiplyAdd(a0, v, _c06); _c16 = TOps.MultiplyAdd(a1, v, _c16);
                v = TOps.Broadcast(*b7); _c07 = TOps.MultiplyAdd(a0, v, _c07); _c17 = TOps.MultiplyAdd(a1, v, _c17);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly void Store(float* c, long ldc)
        {
            var w = TOps.Count;
            TOps.Store(_c00, c); TOps.Store(_c10, c + w); c += ldc;
            TOps.Store(_c01, c); TOps.Store(_c11, c + w); c += ldc;
            TOps.Store(_c02, c); TOps.Store(_c12, c + w); c += ldc;
            TOps.Store(_c03, c); TOps.Store(_c13, c + w); c += ldc;
            TOps.Store(_c04, c); TOps.Store(_c14, c + w); c += ldc;
            TOps.Store(_c05, c); TOps.Store(_c15, c + w);
            if (TOps.TileColumns == 8)
            {
                c += ldc;
                TOps.Store(_c06, c); TOps.Store(_c16, c + w); c += ldc;
                TOps.Store(_c07, c); TOps.Store(_c17, c + w);
            }
        }
    }
}

using System.Runtime.InteropServices;
using DarwinGrid.Training.Native;

namespace DarwinGrid.Training.Kernels;

/// <summary>
/// The geometry of one ggml product node read as <c>C(m, n) = sum_k A(m, k) B(n, k)</c> per slice
/// (dimensions 2 and 3, A broadcast over them as ggml does), and its split over threads: units of
/// a tile's rows x a chunk of columns, enough units for every thread, consecutive units sharing rows so a
/// thread packs each block of A once.
/// </summary>
internal readonly unsafe struct MatMulProduct
{
    private readonly GgmlTensorHeader* _dst, _a, _b;
    private readonly long _aRowStride, _aDepthStride, _bRowStride, _bDepthStride;

    private MatMulProduct(GgmlTensorHeader* dst, bool outProd)
    {
        _dst = dst;
        _a = GgmlTensorHeader.Of(dst->Src0);
        _b = GgmlTensorHeader.Of(dst->Src1);
        // mul_mat(a, b): a [K, M], b [K, N]. out_prod(a, b): a [M, K], b [N, K]. Both give [M, N].
        var (row, depth) = outProd ? (0, 1) : (1, 0);
        Depth = _a->Ne[depth];
        _aRowStride = (long)_a->Nb[row] / sizeof(float);
        _aDepthStride = (long)_a->Nb[depth] / sizeof(float);
        _bRowStride = (long)_b->Nb[row] / sizeof(float);
        _bDepthStride = (long)_b->Nb[depth] / sizeof(float);
    }

    public static MatMulProduct Of(GgmlTensorHeader* dst, bool outProd) => new(dst, outProd);

    public long Depth { get; }

    /// <summary>This thread's share of the product on the kernel of one vector width.</summary>
    public void Compute<TVector, TOps>(int thread, int threads) where TVector : struct where TOps : struct, IVectorOps<TVector>
    {
        var scratch = (float*)NativeMemory.AlignedAlloc((nuint)(MatMulKernel<TVector, TOps>.ScratchLength(Depth) * sizeof(float)), 64);
        try
        {
            Compute<TVector, TOps>(thread, threads, scratch);
        }
        finally
        {
            NativeMemory.AlignedFree(scratch);
        }
    }

    private void Compute<TVector, TOps>(int thread, int threads, float* scratch) where TVector : struct where TOps : struct, IVectorOps<TVector>
    {
        var tileRows = MatMulKernel<TVector, TOps>.TileRows;
        var tileColumns = MatMulKernel<TVector, TOps>.TileColumns;
        long rows = _dst->Ne[0], columns = _dst->Ne[1], slices = _dst->Ne[2] * _dst->Ne[3];
        var rowBlocks = (rows + tileRows - 1) / tileRows;
        var columnTiles = (columns + tileColumns - 1) / tileColumns;
        var chunks = Math.Clamp((4L * threads + slices * rowBlocks - 1) / (slices * rowBlocks), 1, columnTiles);
        var chunkColumns = (columnTiles + chunks - 1) / chunks * tileColumns;
        chunks = (columns + chunkColumns - 1) / chunkColumns;
        var units = slices * rowBlocks * chunks;
        long first = units * thread / threads, end = units * (thread + 1) / threads;
        for (var unit = first; unit < end;)
        {
            // All of this thread's units on the same block of rows, in one call.
            var block = unit / chunks;
            var lastChunk = Math.Min(end, (block + 1) * chunks) - 1 - block * chunks;
            var chunk = unit % chunks;
            long slice = block / rowBlocks, rowStart = block % rowBlocks * tileRows;
            Multiply<TVector, TOps>(slice, rowStart, Math.Min(rows, rowStart + tileRows),
                chunk * chunkColumns, Math.Min(columns, (lastChunk + 1) * chunkColumns), scratch);
            unit += lastChunk - chunk + 1;
        }
    }

    private void Multiply<TVector, TOps>(long slice, long rowStart, long rowEnd, long columnStart, long columnEnd, float* scratch)
        where TVector : struct where TOps : struct, IVectorOps<TVector>
    {
        long i2 = slice % _dst->Ne[2], i3 = slice / _dst->Ne[2];
        long a2 = i2 / (_dst->Ne[2] / _a->Ne[2]), a3 = i3 / (_dst->Ne[3] / _a->Ne[3]);
        var a = new MatMulOperand((float*)((byte*)_a->Data + a2 * (long)_a->Nb[2] + a3 * (long)_a->Nb[3]), _aRowStride, _aDepthStride);
        var b = new MatMulOperand((float*)((byte*)_b->Data + i2 * (long)_b->Nb[2] + i3 * (long)_b->Nb[3]), _bRowStride, _bDepthStride);
        var c = (float*)((byte*)_dst->Data + i2 * (long)_dst->Nb[2] + i3 * (long)_dst->Nb[3]);
        MatMulKernel<TVector, TOps>.Multiply(a, b, c, (long)_dst->Nb[1] / sizeof(float), Depth, rowStart, rowEnd, columnStart, columnEnd, scratch);
    }
}

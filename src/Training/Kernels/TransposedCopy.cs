using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using DarwinGrid.Training.Native;
using static DarwinGrid.Training.Native.Ggml;

namespace DarwinGrid.Training.Kernels;

/// <summary>
/// A contiguous copy of a strided F32 view (typically a transpose), as a ggml custom op run on ggml's
/// own threads, optionally with each row zero-padded to a longer length (sgemm needs the contraction
/// length to be a multiple of 16). ggml's <c>cont</c> copies a transposed view with one memcpy call
/// per element; this copies a transpose of contiguous memory in 8 x 8 register transposes (in
/// isolation: [1152, 480] in 2.1 ms with cont, 0.3 ms with 32 x 32 scalar tiles, less again with
/// the register transposes), other strides in 32 x 32 scalar tiles.
/// </summary>
public static unsafe class TransposedCopy
{
    private const int Tile = 32;
    private const int RowsPerTask = 16;

    /// <summary>
    /// A node computing a contiguous copy of <paramref name="view"/> (any strides, F32) whose rows are
    /// <paramref name="rowLength"/> long (0 = the view's own): elements past the view's row are zero.
    /// </summary>
    public static nint Of(nint context, nint view, long rowLength = 0)
    {
        var header = GgmlTensorHeader.Of(view);
        if (header->Type != GgmlTensorType.F32)
            throw new ArgumentException($"TransposedCopy handles F32 tensors only (got type {header->Type}).", nameof(view));
        if (rowLength == 0) rowLength = header->Ne[0];
        if (rowLength < header->Ne[0])
            throw new ArgumentOutOfRangeException(nameof(rowLength), rowLength, $"A padded row cannot be shorter than the view's ({header->Ne[0]}).");
        delegate* unmanaged[Cdecl]<nint, int, int, nint, void> run = &Run;
        var args = stackalloc nint[1] { view };
        return ggml_custom_4d(context, GgmlTensorType.F32, rowLength, header->Ne[1], header->Ne[2], header->Ne[3], args, 1, (nint)run, nTasks: -1, userdata: 0);
    }

    /// <summary>dst[i0, i1, i2, i3] = src[i0, i1, i2, i3] (0 past src's row); dst is contiguous; threads take blocks of 16 rows.</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void Run(nint destination, int thread, int threads, nint userdata)
    {
        var dst = GgmlTensorHeader.Of(destination);
        var src = GgmlTensorHeader.Of(dst->Src0);
        long rowLength = dst->Ne[0], ne0 = src->Ne[0], ne1 = src->Ne[1], ne2 = src->Ne[2];
        var blocksPerSlice = (ne1 + RowsPerTask - 1) / RowsPerTask;
        var blocks = blocksPerSlice * ne2 * src->Ne[3];
        var perThread = (blocks + threads - 1) / threads;
        var last = Math.Min(blocks, perThread * (thread + 1));
        for (var block = perThread * thread; block < last; block++)
        {
            long slice = block / blocksPerSlice, i2 = slice % ne2, i3 = slice / ne2;
            var from = (float*)((byte*)src->Data + i2 * (long)src->Nb[2] + i3 * (long)src->Nb[3]);
            var to = (float*)dst->Data + slice * rowLength * ne1;
            var rows = new RowRange(block % blocksPerSlice * RowsPerTask, Math.Min(ne1, (block % blocksPerSlice + 1) * RowsPerTask));
            CopyRows(from, src, to, rowLength, rows);
            if (rowLength > ne0)
                for (var i1 = rows.Start; i1 < rows.End; i1++) new Span<float>(to + rowLength * i1 + ne0, (int)(rowLength - ne0)).Clear();
        }
    }

    private readonly record struct RowRange(long Start, long End);

    private static void CopyRows(float* from, GgmlTensorHeader* src, float* to, long rowLength, RowRange rows)
    {
        long ne0 = src->Ne[0], stride0 = (long)src->Nb[0] / sizeof(float), stride1 = (long)src->Nb[1] / sizeof(float);
        if (stride0 == 1)
        {
            for (var i1 = rows.Start; i1 < rows.End; i1++)
                new ReadOnlySpan<float>(from + stride1 * i1, (int)ne0).CopyTo(new Span<float>(to + rowLength * i1, (int)ne0));
            return;
        }
        // A transpose of contiguous memory (src[i0, i1] at i0 * stride0 + i1): whole 8 x 8 blocks go
        // through registers, the right edge of those rows and the rows left over through the tiles.
        var blockRows = stride1 == 1 && Avx.IsSupported ? (rows.End - rows.Start) / 8 * 8 : 0;
        var blockColumns = blockRows > 0 ? ne0 / 8 * 8 : 0;
        for (var i1 = rows.Start; i1 < rows.Start + blockRows; i1 += 8)
        for (long i0 = 0; i0 < blockColumns; i0 += 8)
            RegisterTranspose.Transpose8x8(from + stride0 * i0 + i1, stride0, to + rowLength * i1 + i0, rowLength);
        CopyInTiles(from, stride0, stride1, to, rowLength, rows with { End = rows.Start + blockRows }, blockColumns, ne0);
        CopyInTiles(from, stride0, stride1, to, rowLength, rows with { Start = rows.Start + blockRows }, 0, ne0);
    }

    /// <summary>Copies columns i0 in [firstColumn, ne0) of the rows in the range, in 32 x 32 tiles.</summary>
    private static void CopyInTiles(float* from, long stride0, long stride1, float* to, long rowLength, RowRange rows, long firstColumn, long ne0)
    {
        for (var i1Start = rows.Start; i1Start < rows.End; i1Start += Tile)
        {
            var i1End = Math.Min(rows.End, i1Start + Tile);
            for (var i0Start = firstColumn; i0Start < ne0; i0Start += Tile)
            {
                var i0End = Math.Min(ne0, i0Start + Tile);
                for (var i1 = i1Start; i1 < i1End; i1++)
                {
                    var row = to + rowLength * i1;
                    var column = from + stride1 * i1;
                    for (var i0 = i0Start; i0 < i0End; i0++) row[i0] = column[stride0 * i0];
                }
            }
        }
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using DarwinGrid.Training.Native;
using static DarwinGrid.Training.Native.Ggml;

namespace DarwinGrid.Training.Graph;

/// <summary>
/// A contiguous copy of a strided F32 view (typically a transpose), as a ggml custom op run on ggml's
/// own threads. ggml's <c>cont</c> copies such a view with one memcpy call per element; copying in
/// 32 x 32 tiles instead was ~7x faster in isolation (0.3 vs 2.1 ms for a [1152, 480] transpose).
/// </summary>
public static unsafe class TransposedCopy
{
    private const int Tile = 32;

    /// <summary>A node computing a contiguous copy of <paramref name="view"/> (any strides, F32).</summary>
    public static nint Of(nint context, nint view)
    {
        if (GgmlTensorHeader.Of(view)->Type != GgmlTensorType.F32)
            throw new ArgumentException($"TransposedCopy handles F32 tensors only (got type {GgmlTensorHeader.Of(view)->Type}).", nameof(view));
        delegate* unmanaged[Cdecl]<nint, nint, int, int, nint, void> run = &Run;
        return ggml_map_custom1(context, view, (nint)run, nTasks: -1, userdata: 0);
    }

    /// <summary>dst[i0, i1, i2, i3] = src[i0, i1, i2, i3]; dst is contiguous (ggml_map_custom1 makes it so), work split by tiles over threads.</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void Run(nint destination, nint source, int thread, int threads, nint userdata)
    {
        var dst = GgmlTensorHeader.Of(destination);
        var src = GgmlTensorHeader.Of(source);
        long ne0 = dst->Ne[0], ne1 = dst->Ne[1], ne2 = dst->Ne[2];
        long stride0 = (long)src->Nb[0] / sizeof(float), stride1 = (long)src->Nb[1] / sizeof(float);
        var tilesPerSlice = (ne1 + Tile - 1) / Tile;
        var tiles = tilesPerSlice * ne2 * dst->Ne[3];
        var perThread = (tiles + threads - 1) / threads;
        var last = Math.Min(tiles, perThread * (thread + 1));
        for (var tile = perThread * thread; tile < last; tile++)
        {
            long slice = tile / tilesPerSlice, i2 = slice % ne2, i3 = slice / ne2;
            var from = (float*)((byte*)src->Data + i2 * (long)src->Nb[2] + i3 * (long)src->Nb[3]);
            var to = (float*)dst->Data + slice * ne0 * ne1;
            var i1Start = tile % tilesPerSlice * Tile;
            var i1End = Math.Min(ne1, i1Start + Tile);
            for (long i0Start = 0; i0Start < ne0; i0Start += Tile)
            {
                var i0End = Math.Min(ne0, i0Start + Tile);
                for (var i1 = i1Start; i1 < i1End; i1++)
                {
                    var row = to + ne0 * i1;
                    var column = from + stride1 * i1;
                    for (var i0 = i0Start; i0 < i0End; i0++) row[i0] = column[stride0 * i0];
                }
            }
        }
    }
}

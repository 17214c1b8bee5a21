using System.Runtime.InteropServices;

namespace DarwinGrid.Training.Native;

/// <summary>
/// The leading fields of <c>struct ggml_tensor</c> in this build (336 bytes; ggml_tensor_overhead()
/// = 368 with the 32-byte object header), for graph rewrites that must read or patch a node's op and
/// sources. Offsets checked by disassembly: ggml_mul_mat writes op at 0x50 and src[0..1] at 0x98,
/// ggml_get_data reads 0xf8, ggml_get_name returns the tensor + 0x100. <see cref="GgmlOp.Check"/> proves them at run time.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 336)]
public unsafe struct GgmlTensorHeader
{
    [FieldOffset(0)] public GgmlTensorType Type;
    [FieldOffset(16)] public fixed long Ne[4];
    [FieldOffset(48)] public fixed ulong Nb[4];
    [FieldOffset(80)] public int Op;
    /// <summary><c>op_params</c>: 64 bytes right after op (a custom op keeps its function, task count and user data here).</summary>
    [FieldOffset(84)] public fixed byte OpParams[64];
    [FieldOffset(152)] public nint Src0;
    [FieldOffset(160)] public nint Src1;
    [FieldOffset(248)] public nint Data;
    [FieldOffset(256)] public fixed byte Name[64];

    public static GgmlTensorHeader* Of(nint tensor) => (GgmlTensorHeader*)tensor;

    /// <summary>ne[0..3] as text, for error messages.</summary>
    public string Shape => $"[{Ne[0]}, {Ne[1]}, {Ne[2]}, {Ne[3]}]";
}

/// <summary><c>enum ggml_op</c> values of this build that graph rewrites use (checked against ggml_op_name).</summary>
public static class GgmlOp
{
    public const int MulMat = 29;
    public const int OutProd = 31;
    public const int Custom = 95;

    /// <summary>Throws unless this build names the op codes as expected and places a node's shape, op and sources where <see cref="GgmlTensorHeader"/> reads them.</summary>
    public static unsafe void Check()
    {
        Require(MulMat, "MUL_MAT");
        Require(OutProd, "OUT_PROD");
        Require(Custom, "CUSTOM");
        using var context = GgmlContextHandle.CreateNoAlloc(4);
        var a = Ggml.ggml_new_tensor_2d(context.Pointer, GgmlTensorType.F32, 3, 5);
        var b = Ggml.ggml_new_tensor_2d(context.Pointer, GgmlTensorType.F32, 7, 5);
        var product = GgmlTensorHeader.Of(Ggml.ggml_out_prod(context.Pointer, a, b));
        if (product->Op != OutProd || product->Src0 != a || product->Src1 != b || product->Type != GgmlTensorType.F32
            || product->Ne[0] != 3 || product->Ne[1] != 7 || product->Ne[2] != 1 || product->Nb[0] != sizeof(float) || product->Nb[1] != 3 * sizeof(float))
            throw new InvalidOperationException("ggml_tensor's layout in the loaded library differs from GgmlTensorHeader (LLamaSharp.Backend.Cpu 0.30.0): a 3x7 out_prod reads back wrongly.");
        // A custom op keeps struct ggml_custom_op_params { fun; int n_tasks; void* userdata; } in op_params.
        var custom = GgmlTensorHeader.Of(Ggml.ggml_custom_4d(context.Pointer, GgmlTensorType.F32, 2, 1, 1, 1, null, 0, fun: 0x1234, nTasks: -1, userdata: 0x5678));
        if (custom->Op != Custom || *(nint*)custom->OpParams != 0x1234 || *(int*)(custom->OpParams + 8) != -1 || *(nint*)(custom->OpParams + 16) != 0x5678)
            throw new InvalidOperationException("ggml_tensor's op_params in the loaded library are not where GgmlTensorHeader reads them (LLamaSharp.Backend.Cpu 0.30.0): a custom op's parameters read back wrongly.");

        // A context that allocates: the header's data pointer must be the one ggml reports.
        var overhead = Ggml.ggml_tensor_overhead();
        var allocating = Ggml.ggml_init(new GgmlInitParams { MemSize = overhead + 64, MemBuffer = 0, NoAlloc = 0 });
        try
        {
            var tensor = Ggml.ggml_new_tensor_1d(allocating, GgmlTensorType.F32, 4);
            if (GgmlTensorHeader.Of(tensor)->Data != Ggml.ggml_get_data(tensor) || Ggml.ggml_get_data(tensor) == 0)
                throw new InvalidOperationException("ggml_tensor's data pointer is not where GgmlTensorHeader reads it: the native build differs from LLamaSharp.Backend.Cpu 0.30.0.");
        }
        finally
        {
            Ggml.ggml_free(allocating);
        }
    }

    private static void Require(int op, string name)
    {
        var actual = Marshal.PtrToStringUTF8(Ggml.ggml_op_name(op));
        if (actual != name)
            throw new InvalidOperationException($"ggml op {op} is '{actual}' in the loaded library, expected '{name}': the native build differs from LLamaSharp.Backend.Cpu 0.30.0.");
    }
}

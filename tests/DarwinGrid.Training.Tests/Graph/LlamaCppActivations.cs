using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using DarwinGrid.Training.Native;
using LLama.Extensions;
using LLama.Native;

namespace DarwinGrid.Training.Tests.Graph;

/// <summary>
/// llama.cpp's intermediate activations for one sequence, by the names its graph gives them through
/// <c>cb()</c> (<c>attn_norm-0</c>, <c>Qcur-0</c>, <c>ffn_swiglu-1</c>, <c>result_output</c>, ...), read with
/// the scheduler's eval callback as llama.cpp's own <c>eval-callback</c> tool does. A name used twice
/// (<c>Qcur-N</c> after the product and again after RoPE) keeps its first, the product's, value.
/// </summary>
internal static unsafe class LlamaCppActivations
{
    /// <param name="repackWeights">
    /// llama.cpp's default on this CPU: Q4_K, Q6_K, ... weights are repacked into interleaved blocks
    /// and multiplied by other kernels (<c>use_extra_bufts</c>); false keeps ggml's plain kernels, the ones our graph uses.
    /// </param>
    public static Dictionary<string, float[]> Capture(string modelPath, IReadOnlyList<int> tokens, bool repackWeights)
    {
        var parameters = LlamaCppOracle.Parameters(modelPath);
        parameters.ToLlamaModelParams(out var modelParameters);
        modelParameters.use_extra_bufts = repackWeights;
        using var model = SafeLlamaModelHandle.LoadFromFile(modelPath, modelParameters);
        parameters.ToLlamaContextParams(out var contextParameters);

        var captured = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var handle = GCHandle.Alloc(captured);
        try
        {
            contextParameters.cb_eval = (nint)(delegate* unmanaged[Cdecl]<nint, byte, nint, byte>)&Observe;
            contextParameters.cb_eval_user_data = GCHandle.ToIntPtr(handle);
            using var context = SafeLLamaContextHandle.Create(model, contextParameters);
            var batch = new LLamaBatch();
            for (var i = 0; i < tokens.Count; i++) batch.Add((LLamaToken)tokens[i], i, LLamaSeqId.Zero, true);
            var result = context.Decode(batch);
            if (result != DecodeResult.Ok) throw new InvalidOperationException($"llama.cpp decode failed: {result}");
        }
        finally
        {
            handle.Free();
        }
        return captured;
    }

    /// <summary>ggml_backend_sched_eval_callback: asked first whether a node is wanted, then called with it computed.</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static byte Observe(nint tensor, byte ask, nint userData)
    {
        if (ask != 0) return 1;
        var header = GgmlTensorHeader.Of(tensor);
        var name = Marshal.PtrToStringUTF8((nint)header->Name) ?? "";
        var captured = (Dictionary<string, float[]>)GCHandle.FromIntPtr(userData).Target!;
        if (header->Type == GgmlTensorType.F32 && !name.Contains(' ') && Ggml.ggml_is_contiguous(tensor) != 0 && !captured.ContainsKey(name))
            captured[name] = GgmlTensorData.Get<float>(tensor);
        return 1;
    }
}

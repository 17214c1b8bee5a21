namespace DarwinGrid.Training.Native;

/// <summary>Copies between managed arrays and tensors that live in backend buffers.</summary>
public static unsafe class GgmlTensorData
{
    public static void Set<T>(nint tensor, ReadOnlySpan<T> values) where T : unmanaged
    {
        var bytes = (nuint)(values.Length * sizeof(T));
        RequireSize(tensor, bytes);
        fixed (T* p = values) Ggml.ggml_backend_tensor_set(tensor, p, 0, bytes);
    }

    public static void Get<T>(nint tensor, Span<T> destination) where T : unmanaged
    {
        var bytes = (nuint)(destination.Length * sizeof(T));
        RequireSize(tensor, bytes);
        fixed (T* p = destination) Ggml.ggml_backend_tensor_get(tensor, p, 0, bytes);
    }

    public static T[] Get<T>(nint tensor) where T : unmanaged
    {
        var result = new T[(long)Ggml.ggml_nbytes(tensor) / sizeof(T)];
        Get<T>(tensor, result);
        return result;
    }

    public static float GetScalar(nint tensor)
    {
        Span<float> value = stackalloc float[1];
        fixed (float* p = value) Ggml.ggml_backend_tensor_get(tensor, p, 0, sizeof(float));
        return value[0];
    }

    private static void RequireSize(nint tensor, nuint bytes)
    {
        // ggml aborts the process on a size mismatch; fail in managed code instead.
        var expected = Ggml.ggml_nbytes(tensor);
        if (bytes != expected)
            throw new ArgumentException($"Tensor holds {expected} bytes but {bytes} bytes were given.");
    }
}

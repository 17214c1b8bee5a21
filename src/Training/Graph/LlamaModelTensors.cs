using DarwinGrid.Training.Gguf;
using DarwinGrid.Training.Models;
using DarwinGrid.Training.Native;

namespace DarwinGrid.Training.Graph;

/// <summary>
/// The weights of a LLaMA model as ggml tensors in one backend buffer, named as in GGUF. Trainable
/// models are F32 and every tensor (embeddings and norms included, constants such as
/// <c>rope_freqs</c> not) is a ggml parameter. A frozen model opened from a GGUF file keeps each
/// tensor in its stored type (Q4_K, Q8_0, F16, ...), copied from the file piece by piece: no F32
/// copy exists anywhere, and ggml's own kernels multiply the quantized weights with F32 activations.
/// </summary>
public sealed class LlamaModelTensors : IDisposable
{
    private readonly GgmlContextHandle _context;
    private readonly GgmlBufferHandle _buffer;
    private readonly Dictionary<string, nint> _tensors;
    private readonly Dictionary<long, nint> _rowIndices;

    private LlamaModelTensors(LlamaHyperparameters h, IReadOnlyList<LlamaTensorSpec> specs, GgmlContextHandle context,
        GgmlBufferHandle buffer, Dictionary<string, nint> tensors, Dictionary<long, nint> rowIndices)
    {
        Hyperparameters = h;
        Specs = specs;
        _context = context;
        _buffer = buffer;
        _tensors = tensors;
        _rowIndices = rowIndices;
    }

    public LlamaHyperparameters Hyperparameters { get; }

    /// <summary>Tensor specs in GGUF order.</summary>
    public IReadOnlyList<LlamaTensorSpec> Specs { get; }

    public long BufferBytes => _buffer.SizeBytes;

    public nint this[string name] =>
        _tensors.TryGetValue(name, out var t) ? t : throw new KeyNotFoundException($"The model has no tensor '{name}'.");

    /// <summary>The tensor named <paramref name="name"/>, or 0 when the model has none (optional tensors such as rope_freqs).</summary>
    public nint Find(string name) => _tensors.GetValueOrDefault(name);

    /// <summary>The ggml type the tensor is held in.</summary>
    public unsafe GgmlType TypeOf(string name) => (GgmlType)(uint)GgmlTensorHeader.Of(this[name])->Type;

    /// <summary>
    /// An I32 tensor holding 0..rows-1, for dequantizing a whole frozen matrix of that many rows with
    /// ggml_get_rows (see <see cref="FrozenWeightGradients"/>); 0 when no such matrix is stored quantized.
    /// </summary>
    public nint RowIndex(long rows) => _rowIndices.GetValueOrDefault(rows);

    public static LlamaModelTensors Create(GgmlBackendHandle backend, LlamaHyperparameters h, bool trainable)
    {
        var specs = LlamaTensorLayout.Enumerate(h.Validated()).ToList();
        return Allocate(backend, h, specs, _ => GgmlType.F32, spec => trainable && !spec.IsConstant);
    }

    /// <summary>
    /// The model in memory (F32 arrays) as trainable F32 tensors, or — when it was opened from a file
    /// (<see cref="LlamaCheckpoint.SourceFile"/>) and is frozen — the file's tensors in their own types.
    /// </summary>
    public static LlamaModelTensors Load(GgmlBackendHandle backend, LlamaCheckpoint checkpoint, bool trainable)
    {
        if (!trainable && checkpoint.SourceFile is { } path) return Open(backend, path);
        var model = Create(backend, checkpoint.Hyperparameters, trainable);
        try
        {
            model.Upload(checkpoint.Weights);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>A frozen model straight from a GGUF file: every tensor in its stored type, read in pieces.</summary>
    public static LlamaModelTensors Open(GgmlBackendHandle backend, string path)
    {
        using var file = GgufFile.Open(path);
        var h = LlamaGguf.ReadHyperparameters(file);
        var specs = LlamaTensorLayout.Enumerate(h).ToList();
        LlamaCheckpoint.CheckTensors(file, specs);
        var model = Allocate(backend, h, specs, spec => file.Tensor(spec.Name).Type, _ => false);
        try
        {
            foreach (var spec in specs)
            {
                var tensor = model[spec.Name];
                file.CopyTensorBytes(spec.Name, (bytes, offset) => SetBytes(tensor, bytes, offset));
            }
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private static unsafe void SetBytes(nint tensor, ReadOnlySpan<byte> bytes, long offset)
    {
        fixed (byte* p = bytes) Ggml.ggml_backend_tensor_set(tensor, p, (nuint)offset, (nuint)bytes.Length);
    }

    private static LlamaModelTensors Allocate(GgmlBackendHandle backend, LlamaHyperparameters h, List<LlamaTensorSpec> specs,
        Func<LlamaTensorSpec, GgmlType> typeOf, Func<LlamaTensorSpec, bool> isParameter)
    {
        // Row counts of the matrices not held as F32: their input gradients dequantize them with get_rows.
        var quantizedRows = specs.Where(s => s.Dimensions.Length == 2 && typeOf(s) != GgmlType.F32).Select(s => s.Dimensions[1]).Distinct().ToList();
        var context = GgmlContextHandle.CreateNoAlloc(specs.Count + quantizedRows.Count + 1);
        try
        {
            var tensors = new Dictionary<string, nint>(StringComparer.Ordinal);
            foreach (var spec in specs)
            {
                var d = spec.Dimensions;
                var type = (GgmlTensorType)(int)typeOf(spec);
                var tensor = d.Length == 1
                    ? Ggml.ggml_new_tensor_1d(context.Pointer, type, d[0])
                    : Ggml.ggml_new_tensor_2d(context.Pointer, type, d[0], d[1]);
                Ggml.ggml_set_name(tensor, spec.Name);
                if (isParameter(spec)) Ggml.ggml_set_param(tensor);
                tensors[spec.Name] = tensor;
            }
            var rowIndices = quantizedRows.ToDictionary(rows => rows, rows => Ggml.ggml_new_tensor_1d(context.Pointer, GgmlTensorType.I32, rows));
            var buffer = GgmlBufferHandle.AllocateTensors(context, backend);
            foreach (var (rows, index) in rowIndices)
                GgmlTensorData.Set<int>(index, Enumerable.Range(0, checked((int)rows)).ToArray());
            return new LlamaModelTensors(h, specs, context, buffer, tensors, rowIndices);
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    public void Upload(IReadOnlyDictionary<string, float[]> weights)
    {
        foreach (var spec in Specs)
        {
            if (!weights.TryGetValue(spec.Name, out var values))
                throw new ArgumentException($"No values for tensor '{spec.Name}'.");
            if (values.Length != spec.ElementCount)
                throw new ArgumentException($"Tensor '{spec.Name}' needs {spec.ElementCount} values, got {values.Length}.");
            GgmlTensorData.Set<float>(_tensors[spec.Name], values);
        }
    }

    /// <summary>The weights as F32 arrays (F32 tensors only: a model opened in its stored types has no such copy).</summary>
    public Dictionary<string, float[]> Download()
    {
        if (Specs.FirstOrDefault(s => TypeOf(s.Name) != GgmlType.F32) is { } stored)
            throw new InvalidOperationException($"Tensor '{stored.Name}' is held as {TypeOf(stored.Name)} (a frozen base in its own type); it has no F32 values to download.");
        return Specs.ToDictionary(s => s.Name, s => GgmlTensorData.Get<float>(_tensors[s.Name]), StringComparer.Ordinal);
    }

    public void Dispose()
    {
        _buffer.Dispose();
        _context.Dispose();
    }
}

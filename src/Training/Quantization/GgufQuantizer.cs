using DarwinGrid.Training.Gguf;
using LLama;
using LLama.Native;

namespace DarwinGrid.Training.Quantization;

/// <summary>The types <c>darwin model quantize --type</c> writes.</summary>
public enum QuantizationType
{
    F16,
    Q8_0,
    Q4_K_M,
}

/// <summary>
/// llama.cpp's own quantizer (through LLamaSharp's <see cref="LLamaQuantizer"/>): a GGUF model in,
/// the same model with its weight matrices in another type out.
/// </summary>
public static class GgufQuantizer
{
    public static string Names => string.Join("|", Enum.GetNames<QuantizationType>());

    public static QuantizationType Parse(string text) =>
        Enum.TryParse<QuantizationType>(text, ignoreCase: true, out var type) && Enum.IsDefined(type) && !int.TryParse(text, out _)
            ? type
            : throw new ArgumentException($"--type '{text}' is not one of {Names}.");

    /// <summary>K-quants store weights in blocks of 256 along a row.</summary>
    public const int KQuantBlock = 256;

    public static void Quantize(string input, string output, QuantizationType type, int threads = 0)
    {
        if (!File.Exists(input)) throw new FileNotFoundException($"--in: there is no model file '{input}'.", input);
        if (Path.GetFullPath(input) == Path.GetFullPath(output))
            throw new ArgumentException($"--out '{output}' is the input; write the quantized model to a new file.");
        CheckInput(input, type);
        // LLamaSharp's resolver must have loaded libllama before the quantizer's own P/Invoke runs.
        NativeApi.llama_empty_call();
        var directory = Path.GetDirectoryName(Path.GetFullPath(output));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        var partial = output + ".partial";
        try
        {
            if (!LLamaQuantizer.Quantize(input, partial, Ftype(type), threads <= 0 ? Environment.ProcessorCount : threads, allowRequantize: true, quantizeOutputTensor: true))
                throw new InvalidDataException($"llama.cpp could not quantize '{input}' to {type} (see the native log).");
            File.Move(partial, output, overwrite: true);
        }
        finally
        {
            if (File.Exists(partial)) File.Delete(partial);
        }
    }

    private static LLamaFtype Ftype(QuantizationType type) => type switch
    {
        QuantizationType.F16 => LLamaFtype.MOSTLY_F16,
        QuantizationType.Q8_0 => LLamaFtype.MOSTLY_Q8_0,
        QuantizationType.Q4_K_M => LLamaFtype.MOSTLY_Q4_K_M,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>Refuses what llama.cpp would abort on or quietly leave unquantized: not a GGUF, or K-quant rows not divisible by 256.</summary>
    private static void CheckInput(string input, QuantizationType type)
    {
        using var file = GgufFile.Open(input);
        if (type != QuantizationType.Q4_K_M) return;
        var bad = file.Tensors.FirstOrDefault(t => t.Dimensions.Length >= 2 && t.Dimensions[0] % KQuantBlock != 0);
        if (bad is not null)
            throw new ArgumentException($"--type {type}: tensor '{bad.Name}' has rows of {bad.Dimensions[0]} values; K-quants need rows divisible by {KQuantBlock} (make the model with --embd and --ffn multiples of 256).");
    }
}

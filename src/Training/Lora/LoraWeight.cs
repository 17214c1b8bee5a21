namespace DarwinGrid.Training.Lora;

/// <summary>
/// The low-rank pair of one base weight W (ggml ne [In, Out]), in llama.cpp's adapter layout:
/// <see cref="A"/> has ne [In, Rank] and <see cref="B"/> ne [Rank, Out], so the adapted projection is
/// W x + scale * B (A x). Row-major: A[j * In + i], B[o * Rank + j].
/// </summary>
public sealed record LoraWeight(string BaseName, long InputLength, long OutputLength, int Rank, float[] A, float[] B)
{
    public const string ASuffix = ".lora_a";
    public const string BSuffix = ".lora_b";

    public string AName => BaseName + ASuffix;
    public string BName => BaseName + BSuffix;
    public long[] ADimensions => [InputLength, Rank];
    public long[] BDimensions => [Rank, OutputLength];

    public LoraWeight Validated()
    {
        if (Rank < 1 || InputLength < 1 || OutputLength < 1)
            throw new ArgumentException($"LoRA weight '{BaseName}': rank {Rank}, input {InputLength} and output {OutputLength} must be positive.");
        if (A.LongLength != InputLength * Rank)
            throw new ArgumentException($"LoRA weight '{AName}' needs {InputLength * Rank} values ([{InputLength}, {Rank}]), got {A.Length}.");
        if (B.LongLength != Rank * OutputLength)
            throw new ArgumentException($"LoRA weight '{BName}' needs {Rank * OutputLength} values ([{Rank}, {OutputLength}]), got {B.Length}.");
        return this;
    }
}

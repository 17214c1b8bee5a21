namespace DarwinGrid.Training.Optimization;

/// <summary>
/// A tensor the optimizer updates: its name (GGUF weight name, or <c>&lt;weight&gt;.lora_a/b</c> in
/// LoRA mode), ggml shape, whether weight decay is skipped (norms), and the ggml tensor.
/// </summary>
public sealed record TrainableTensor(string Name, long[] Dimensions, bool IsNorm, nint Tensor)
{
    public long ElementCount => Dimensions.Aggregate(1L, (p, d) => p * d);
}

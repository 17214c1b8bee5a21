using DarwinGrid.Training.Native;

namespace DarwinGrid.Training.Graph;

/// <summary>
/// The per-batch inputs of the forward graph: token ids and RoPE positions (row-major, one per
/// token) and an additive attention mask [T, T, 1, B] (0 where a query may see a key, -inf else),
/// which lets several records share a row without attending across record boundaries.
/// </summary>
public sealed record LlamaGraphInputs(nint Tokens, nint Positions, nint Mask)
{
    public static LlamaGraphInputs Create(nint context, LlamaBatchShape shape)
    {
        var tokens = Input(Ggml.ggml_new_tensor_1d(context, GgmlTensorType.I32, shape.TokenCount), "tokens");
        var positions = Input(Ggml.ggml_new_tensor_1d(context, GgmlTensorType.I32, shape.TokenCount), "positions");
        var mask = Input(Ggml.ggml_new_tensor_4d(context, GgmlTensorType.F32, shape.TokensPerRow, shape.TokensPerRow, 1, shape.Rows), "attention_mask");
        return new LlamaGraphInputs(tokens, positions, mask);
    }

    internal static nint Input(nint tensor, string name)
    {
        Ggml.ggml_set_name(tensor, name);
        Ggml.ggml_set_input(tensor);
        return tensor;
    }
}

using DarwinGrid.Training.Models;

namespace DarwinGrid.Training.Optimization;

/// <summary>
/// Floating-point operations of the matrix products in one training micro-batch of a LLaMA graph as
/// <see cref="Graph.LlamaGraph"/> builds it: every projection over every token, attention over the
/// whole window (the causal mask is applied after kq, so masked products are computed too), and the
/// output head over the answer slots only. Backward costs each product twice again (the gradients of
/// both operands), except the frozen base weights' gradients under LoRA (whose own low-rank products
/// are left out: under 3% at rank 8). Norms, softmax, RoPE and AdamW are a few FLOPs per element, not
/// counted: this is the work an FMA unit can do, so FLOPs x tokens/s over the FMA peak is the share of
/// the machine a step reaches.
/// </summary>
public static class TrainingFlops
{
    public static double PerMicroBatch(LlamaHyperparameters shape, BatchLayout layout, bool trainBaseWeights = true)
    {
        double e = shape.EmbeddingLength, ekv = shape.KeyValueEmbeddingLength, f = shape.FeedForwardLength;
        double tokens = layout.TokenCount, window = layout.TokensPerRow;
        // Weights x inputs, 2 FLOPs per multiply-add: q, o (e x e), k, v (e x ekv), gate, up, down (e x f).
        var projections = shape.BlockCount * 2 * tokens * (2 * e * e + 2 * e * ekv + 3 * e * f)
                          + 2.0 * layout.AnswerSlots * e * shape.VocabSize;
        // kq and kqv: per row and head window x window x head dimension each.
        var attention = shape.BlockCount * 2 * 2 * layout.Rows * window * window * e;
        var weightGradients = trainBaseWeights ? projections : 0;
        return 3 * attention + 2 * projections + weightGradients;
    }
}

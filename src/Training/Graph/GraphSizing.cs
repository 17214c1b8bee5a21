namespace DarwinGrid.Training.Graph;

/// <summary>
/// Node budgets for graphs of an L-layer model. A forward block is ~37 nodes; backward and AdamW
/// add ~110 more. ggml-opt's static graphs are fixed at 2048 nodes (15 layers max); building our
/// own graphs with ggml_new_graph_custom sized from the layer count lifts that limit. Each LoRA
/// projection adds 4 forward nodes (A x, B (A x), scale, add) and about as many again backward,
/// plus two AdamW steps.
/// </summary>
public static class GraphSizing
{
    public static int ForwardNodes(int layers, int loraProjectionsPerLayer = 0) => 128 + (64 + 4 * loraProjectionsPerLayer) * layers;

    public static int TrainingNodes(int layers, int loraProjectionsPerLayer = 0) => 256 + (256 + 16 * loraProjectionsPerLayer) * layers;
}

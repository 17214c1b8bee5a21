namespace DarwinGrid.Training.Graph;

/// <summary>
/// Node budgets for graphs of an L-layer model. A forward block is ~37 nodes; backward and AdamW
/// add ~110 more. ggml-opt's static graphs are fixed at 2048 nodes (15 layers max); building our
/// own graphs with ggml_new_graph_custom sized from the layer count lifts that limit.
/// </summary>
public static class GraphSizing
{
    public static int ForwardNodes(int layers) => 128 + 64 * layers;

    public static int TrainingNodes(int layers) => 256 + 256 * layers;
}

namespace DarwinGrid.Evaluation.Baselines;

// Row types ML.NET reads by reflection; the feature vector size is set at run time by a schema definition.

public sealed class RegressionRow
{
    public float[] Features { get; set; } = [];
    public float Label { get; set; }
}

public sealed class BinaryRow
{
    public float[] Features { get; set; } = [];
    public bool Label { get; set; }
}

public sealed class MultiClassRow
{
    public float[] Features { get; set; } = [];
    public uint Label { get; set; }
}

public sealed class ClassKeyRow
{
    public uint Label { get; set; }
}

using DarwinGrid.Domain.Compositions;
using DarwinGrid.Domain.Datasets;
using DarwinGrid.Domain.Descriptors;
using DarwinGrid.Domain.Tasks;

namespace DarwinGrid.Evaluation.Baselines;

/// <summary>
/// Magpie descriptors for task records, with missing values (NaN) filled by the column mean of the
/// training part, so test rows never inform the fill. A column with no value at all in training
/// is filled with 0.
/// </summary>
internal sealed class CompositionFeatures
{
    private readonly MagpieFeaturizer _featurizer;
    private float[]? _columnMeans;

    public CompositionFeatures(MagpieFeaturizer featurizer) => _featurizer = featurizer;

    public int Count => _featurizer.FeatureCount;

    /// <summary>Inputs the descriptors make sense for: written compositions.</summary>
    public static bool Supports(PropertyTask task) =>
        task.Input is InputField.Composition or InputField.Alloy or InputField.Formula or InputField.MofComposition;

    /// <summary>Descriptors of a record, or the reason its input is not a composition.</summary>
    public (double[]? Features, string? Error) Describe(TaskRecord record)
    {
        if (!CompositionParser.TryParse(record.Input, out var composition, out var error))
            return (null, $"'{record.Input}' is not a composition: {error.Message}");
        return (_featurizer.Featurize(composition), null);
    }

    /// <summary>Remembers the training column means; call once with the training rows' descriptors.</summary>
    public void LearnFill(IReadOnlyList<double[]> trainingRows)
    {
        var means = new float[Count];
        for (var c = 0; c < Count; c++)
        {
            double sum = 0;
            var n = 0;
            foreach (var row in trainingRows)
            {
                if (!double.IsNaN(row[c]))
                {
                    sum += row[c];
                    n++;
                }
            }
            means[c] = n == 0 ? 0f : (float)(sum / n);
        }
        _columnMeans = means;
    }

    public float[] Filled(double[] row)
    {
        var means = _columnMeans ?? throw new InvalidOperationException("Column means are not learned yet (fit first).");
        var result = new float[row.Length];
        for (var c = 0; c < row.Length; c++)
            result[c] = double.IsNaN(row[c]) ? means[c] : (float)row[c];
        return result;
    }
}

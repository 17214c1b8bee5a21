using DarwinGrid.Domain.Datasets;
using DarwinGrid.Domain.Descriptors;
using DarwinGrid.Domain.Tasks;
using DarwinGrid.Evaluation.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;

namespace DarwinGrid.Evaluation.Baselines;

/// <summary>
/// Magpie descriptors fed to an ML.NET tree ensemble: FastTree (gradient boosting) or FastForest
/// (random forest). Regression predicts the value; binary classification gives the probability of
/// class 1 (FastTree: Platt-calibrated; FastForest: mean tree vote); multi-class uses one-versus-all
/// with ML.NET's per-class calibration (for the forest that calibration, fitted on the training
/// part, saturates; the four matbench tasks do not use it).
/// Training rows whose input is not a composition are left out (logged); such test rows are failures.
/// </summary>
public sealed class MagpieTreeModel : IPropertyModel
{
    private const string FeaturesColumn = "Features";
    private const string LabelColumn = "Label";

    private readonly TreeEnsemble _ensemble;
    private readonly TreeSettings _settings;
    private readonly CompositionFeatures _features;
    private readonly ILogger _logger;
    private readonly MLContext _ml;
    private ITransformer? _model;

    public MagpieTreeModel(MagpieFeaturizer featurizer, TreeEnsemble ensemble, TreeSettings? settings = null, ILogger? logger = null)
    {
        _ensemble = ensemble;
        _settings = settings ?? TreeSettings.For(ensemble);
        _features = new CompositionFeatures(featurizer);
        _logger = logger ?? NullLogger.Instance;
        _ml = new MLContext(seed: _settings.Seed);
    }

    public string Name => _ensemble == TreeEnsemble.GradientBoosted ? "magpie-gbt" : "magpie-rf";

    public Task FitAsync(PropertyTask task, IReadOnlyList<TaskRecord> trainRecords, CancellationToken cancellationToken)
    {
        if (!CompositionFeatures.Supports(task))
            throw new NotSupportedException($"{Name}: task '{task.Name}' has {task.Input} inputs; Magpie descriptors need compositions.");

        var rows = new List<double[]>(trainRecords.Count);
        var kept = new List<TaskRecord>(trainRecords.Count);
        foreach (var record in trainRecords)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (features, error) = _features.Describe(record);
            if (features is null)
            {
                _logger.LogWarning("{Model} {Task}: training row {Row} left out: {Error}", Name, task.Name, record.RowNumber, error);
                continue;
            }
            rows.Add(features);
            kept.Add(record);
        }
        if (rows.Count == 0)
            throw new InvalidOperationException($"{Name}: no training row of task '{task.Name}' is a composition.");

        _features.LearnFill(rows);
        var filled = rows.Select(_features.Filled).ToArray();
        var data = task.Kind switch
        {
            TaskKind.Regression => Load(filled.Select((f, i) => new RegressionRow { Features = f, Label = (float)kept[i].Target.AsNumber() })),
            TaskKind.Binary => Load(filled.Select((f, i) => new BinaryRow { Features = f, Label = kept[i].Target.AsClassIndex() == 1 })),
            _ => Load(filled.Select((f, i) => new MultiClassRow { Features = f, Label = (uint)kept[i].Target.AsClassIndex() })),
        };
        cancellationToken.ThrowIfCancellationRequested();
        _model = Trainer(task).Fit(data);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ModelOutput>> PredictAsync(PropertyTask task, IReadOnlyList<TaskRecord> testRecords, CancellationToken cancellationToken)
    {
        var model = _model ?? throw new InvalidOperationException($"{Name}: predict called before fit (task '{task.Name}').");
        var outputs = new ModelOutput?[testRecords.Count];
        var positions = new List<int>();
        var rows = new List<float[]>();
        for (var i = 0; i < testRecords.Count; i++)
        {
            var (features, error) = _features.Describe(testRecords[i]);
            if (features is null)
                outputs[i] = ModelOutput.Failure(error!);
            else
            {
                positions.Add(i);
                rows.Add(_features.Filled(features));
            }
        }
        cancellationToken.ThrowIfCancellationRequested();
        if (rows.Count > 0)
        {
            // The label is not read when scoring; any value satisfies the schema.
            var data = task.Kind switch
            {
                TaskKind.Regression => Load(rows.Select(f => new RegressionRow { Features = f })),
                TaskKind.Binary => Load(rows.Select(f => new BinaryRow { Features = f })),
                _ => Load(rows.Select(f => new MultiClassRow { Features = f })),
            };
            var predictions = Read(task, model.Transform(data));
            for (var k = 0; k < positions.Count; k++)
                outputs[positions[k]] = predictions[k];
        }
        return Task.FromResult<IReadOnlyList<ModelOutput>>(outputs.Select(o => o!).ToArray());
    }

    private IReadOnlyList<ModelOutput> Read(PropertyTask task, IDataView scored)
    {
        switch (task.Kind)
        {
            case TaskKind.Regression:
                return scored.GetColumn<float>("Score").Select(s => ModelOutput.Number(s)).ToArray();
            case TaskKind.Binary:
                if (_ensemble == TreeEnsemble.GradientBoosted) // FastTree binary is Platt-calibrated
                    return scored.GetColumn<float>("Probability").Select(p => ModelOutput.Classes([1.0 - p, p])).ToArray();
                return scored.GetColumn<float>("Score").Select(s => ForestProbability(s, _settings.Trees)).ToArray();
            default:
                return scored.GetColumn<VBuffer<float>>("Score")
                    .Select(s => ModelOutput.Classes(s.DenseValues().Select(v => (double)v).ToArray()))
                    .ToArray();
        }
    }

    /// <summary>
    /// FastForest binary gives a score only: the sum over trees of leaf outputs in [-1, 1] (a vote
    /// count when the leaves are pure; decision threshold 0). (score / trees + 1) / 2 is the
    /// matching probability, like scikit-learn's mean of tree votes. A calibrator fitted on the
    /// training part would saturate, because a forest of deep trees fits its own training rows
    /// almost perfectly, and would tie most test scores at 0 or 1.
    /// </summary>
    private static ModelOutput ForestProbability(float score, int trees)
    {
        var p = Math.Clamp((score / (double)trees + 1.0) / 2.0, 0.0, 1.0);
        return ModelOutput.Classes([1.0 - p, p]);
    }

    private IDataView Load<TRow>(IEnumerable<TRow> rows) where TRow : class
    {
        var schema = SchemaDefinition.Create(typeof(TRow));
        schema[FeaturesColumn].ColumnType = new VectorDataViewType(NumberDataViewType.Single, _features.Count);
        return _ml.Data.LoadFromEnumerable(rows.ToList(), schema);
    }

    private IEstimator<ITransformer> Trainer(PropertyTask task)
    {
        var s = _settings;
        var gbt = _ensemble == TreeEnsemble.GradientBoosted;
        switch (task.Kind)
        {
            case TaskKind.Regression:
                return gbt
                    ? _ml.Regression.Trainers.FastTree(new FastTreeRegressionTrainer.Options
                    {
                        NumberOfTrees = s.Trees, NumberOfLeaves = s.Leaves, MinimumExampleCountPerLeaf = s.MinimumExamplesPerLeaf,
                        LearningRate = s.LearningRate, NumberOfThreads = s.Threads, Seed = s.Seed,
                    })
                    : _ml.Regression.Trainers.FastForest(new FastForestRegressionTrainer.Options
                    {
                        NumberOfTrees = s.Trees, NumberOfLeaves = s.Leaves, MinimumExampleCountPerLeaf = s.MinimumExamplesPerLeaf,
                        NumberOfThreads = s.Threads, Seed = s.Seed,
                    });
            case TaskKind.Binary:
                return gbt ? BinaryGbt(s) : BinaryForest(s);
            default:
                var keys = _ml.Data.LoadFromEnumerable(Enumerable.Range(0, task.Classes.Count).Select(c => new ClassKeyRow { Label = (uint)c }));
                var mapLabel = _ml.Transforms.Conversion.MapValueToKey(LabelColumn, keyData: keys);
                return gbt
                    ? mapLabel.Append(_ml.MulticlassClassification.Trainers.OneVersusAll(BinaryGbt(s)))
                    : mapLabel.Append(_ml.MulticlassClassification.Trainers.OneVersusAll(BinaryForest(s)));
        }
    }

    private FastTreeBinaryTrainer BinaryGbt(TreeSettings s) =>
        _ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
        {
            NumberOfTrees = s.Trees, NumberOfLeaves = s.Leaves, MinimumExampleCountPerLeaf = s.MinimumExamplesPerLeaf,
            LearningRate = s.LearningRate, NumberOfThreads = s.Threads, Seed = s.Seed,
        });

    private FastForestBinaryTrainer BinaryForest(TreeSettings s) =>
        _ml.BinaryClassification.Trainers.FastForest(new FastForestBinaryTrainer.Options
        {
            NumberOfTrees = s.Trees, NumberOfLeaves = s.Leaves, MinimumExampleCountPerLeaf = s.MinimumExamplesPerLeaf,
            NumberOfThreads = s.Threads, Seed = s.Seed,
        });
}

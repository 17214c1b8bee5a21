using DarwinGrid.Domain.Descriptors;
using DarwinGrid.Evaluation.Models;
using Microsoft.Extensions.Logging;

namespace DarwinGrid.Evaluation.Baselines;

/// <summary>The classic baselines by name: <c>dummy</c>, <c>magpie-gbt</c>, <c>magpie-rf</c>.</summary>
public sealed class BaselineModelSpecs : IModelSpecResolver
{
    public const string Dummy = "dummy";
    public const string MagpieGbt = "magpie-gbt";
    public const string MagpieRf = "magpie-rf";

    public IReadOnlyList<string> AcceptedSpecs { get; } = [Dummy, MagpieGbt, MagpieRf];

    public ModelSpec? TryResolve(string spec, ModelSpecContext context)
    {
        switch (spec.ToLowerInvariant())
        {
            case Dummy:
                return new ModelSpec(Dummy, "training mean (regression) / class priors, majority class (classification)", _ => new DummyModel());
            case MagpieGbt:
                return Trees(MagpieGbt, TreeEnsemble.GradientBoosted, "ML.NET FastTree gradient boosting", context);
            case MagpieRf:
                return Trees(MagpieRf, TreeEnsemble.RandomForest, "ML.NET FastForest random forest", context);
            default:
                return null;
        }
    }

    private static ModelSpec Trees(string name, TreeEnsemble ensemble, string what, ModelSpecContext context)
    {
        // Loaded once per spec; the featurizer is immutable and shared by every fold's model.
        var featurizer = new Lazy<MagpieFeaturizer>(() => MagpieFeaturizer.Load(Path.Combine(context.DataRoot, "magpie_elementdata")));
        var logger = context.LoggerFactory.CreateLogger<MagpieTreeModel>();
        var settings = TreeSettings.For(ensemble);
        return new ModelSpec(name, $"Magpie descriptors (142) + {what}: {settings}",
            _ => new MagpieTreeModel(featurizer.Value, ensemble, settings, logger));
    }
}

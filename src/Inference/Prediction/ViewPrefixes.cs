using DarwinGrid.Inference.Engine;

namespace DarwinGrid.Inference.Prediction;

/// <summary>
/// Each view of a candidate asks with its own instruction, so it has its own shared prefix: an
/// engine serving several views keeps that many prefixes evaluated at once, or the views would
/// wait for one another's prefix sequences and evaluate them again and again.
/// </summary>
public static class ViewPrefixes
{
    /// <summary>Raises <see cref="EngineOptions.PrefixCacheSize"/> to <paramref name="views"/> (never lowers it); returns the same options.</summary>
    public static EngineOptions WithPrefixesForViews(this EngineOptions options, int views)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PrefixCacheSize = Math.Max(options.PrefixCacheSize, views);
        return options;
    }
}

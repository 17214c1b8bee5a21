using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace DarwinGrid.Training.Runs;

/// <summary>
/// A preset's recipe as one hash: shape, trainer settings per stage, mixture (tasks, weights, examples
/// per epoch, augmentation), element-embedding initialisation and prompt format. A cached model whose
/// manifest names another hash was trained with another recipe and is trained again
/// (<see cref="ModelCache"/>), so changing the preset in code never leaves a stale darwin-mini in use.
/// </summary>
public static class PresetRecipe
{
    public static string Sha256(TrainingPreset preset)
    {
        ArgumentNullException.ThrowIfNull(preset);
        var recipe = new
        {
            preset.Name,
            preset.EmbeddingLength,
            preset.BlockCount,
            preset.HeadCount,
            preset.HeadCountKv,
            preset.FeedForwardLength,
            preset.ContextLength,
            // Threads and the product kernel change speed, not the recipe (as in RunConfiguration).
            Trainer = preset.Trainer with { Threads = 1, Products = Kernels.ProductKernel.Auto },
            QaTrainer = preset.QaTrainer is { } qa ? qa with { Threads = 1, Products = Kernels.ProductKernel.Auto } : null,
            preset.QaExamplesPerEpoch,
            preset.Stages,
            preset.Tasks,
            TaskWeights = preset.TaskWeights.OrderBy(w => w.Key, StringComparer.Ordinal).ToArray(),
            preset.ExamplesPerEpoch,
            Format = preset.Format.Name,
            preset.ElementEmbeddings,
            preset.FormulaAugmentation,
        };
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(recipe, RunJson.Options))));
    }
}

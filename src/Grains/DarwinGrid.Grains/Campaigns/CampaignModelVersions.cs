using DarwinGrid.Grains.Models;

namespace DarwinGrid.Grains.Campaigns;

/// <summary>Which registered model version screens each task of a campaign, checked against the tasks each version answers.</summary>
public static class CampaignModelVersions
{
    /// <summary>The definition's version for every task, or else the registry's default for the task.</summary>
    /// <exception cref="ArgumentException">A task has no version, the version is not registered, or it does not answer the task.</exception>
    public static async Task<Dictionary<string, string>> ResolveAsync(CampaignDefinition definition, IModelRegistryGrain registry)
    {
        var versions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var task in definition.Tasks)
        {
            var versionId = definition.ModelVersion ?? await registry.GetDefaultAsync(task) ?? throw new ArgumentException(
                $"No model version for task '{task}': name one in the definition or register a default ('darwin models add --default').");
            var version = await registry.GetAsync(versionId) ?? throw new ArgumentException($"Model version '{versionId}' (for task '{task}') is not registered.");
            CheckAnswers(version, [task]);
            versions[task] = versionId;
        }
        return versions;
    }

    /// <exception cref="ArgumentException">The version names the tasks it answers, and one of <paramref name="tasks"/> is not among them.</exception>
    public static void CheckAnswers(ModelVersionInfo version, IEnumerable<string> tasks)
    {
        foreach (var task in tasks)
        {
            if (!version.Tasks.IsDefaultOrEmpty && !version.Tasks.Contains(task))
                throw new ArgumentException($"Model version '{version.Id}' does not answer task '{task}' (it answers {string.Join(", ", version.Tasks)}).");
        }
    }
}

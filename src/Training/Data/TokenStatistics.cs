namespace DarwinGrid.Training.Data;

/// <summary>Token counts of one task's tokenized examples (BOS in the prompt, EOS in the response).</summary>
public sealed record TaskTokenStatistics(
    string Task,
    int Examples,
    int Dropped,
    double MeanPromptTokens,
    int MaxPromptTokens,
    double MeanResponseTokens,
    int MaxResponseTokens,
    double MeanTokens,
    int MaxTokens,
    long TotalTokens,
    long ResponseTokens);

/// <summary>Token counts of a tokenized dataset, per task (catalog order) and overall.</summary>
/// <param name="BoundaryMerges">Examples whose prompt + response encoded as one text did not split into prompt tokens + continuation tokens; null when not checked.</param>
public sealed record TokenStatistics(
    TaskTokenStatistics Overall,
    IReadOnlyList<TaskTokenStatistics> Tasks,
    int? BoundaryMerges)
{
    public static TokenStatistics Of(IReadOnlyList<TokenizedExample> examples, IReadOnlyList<DroppedExample> dropped, int? boundaryMerges)
    {
        var dropCounts = dropped.GroupBy(d => d.Task).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var catalog = Domain.Tasks.TaskCatalog.All.Select(t => t.Name).ToList();
        var order = examples.Select(e => e.Task).Concat(dropped.Select(d => d.Task)).Distinct(StringComparer.Ordinal)
            .OrderBy(t => catalog.IndexOf(t) is var i && i >= 0 ? i : int.MaxValue).ThenBy(t => t, StringComparer.Ordinal)
            .ToArray();
        var byTask = examples.GroupBy(e => e.Task).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        var tasks = order.Select(task => Summarise(task, byTask.GetValueOrDefault(task) ?? [], dropCounts.GetValueOrDefault(task))).ToArray();
        return new TokenStatistics(Summarise("all", examples, dropped.Count), tasks, boundaryMerges);
    }

    private static TaskTokenStatistics Summarise(string task, IReadOnlyList<TokenizedExample> examples, int dropped)
    {
        if (examples.Count == 0)
            return new TaskTokenStatistics(task, 0, dropped, 0, 0, 0, 0, 0, 0, 0, 0);
        long prompt = 0, response = 0;
        int maxPrompt = 0, maxResponse = 0, maxTotal = 0;
        foreach (var e in examples)
        {
            prompt += e.PromptTokens.Length;
            response += e.ResponseTokens.Length;
            maxPrompt = Math.Max(maxPrompt, e.PromptTokens.Length);
            maxResponse = Math.Max(maxResponse, e.ResponseTokens.Length);
            maxTotal = Math.Max(maxTotal, e.Length);
        }
        double n = examples.Count;
        return new TaskTokenStatistics(task, examples.Count, dropped, prompt / n, maxPrompt, response / n, maxResponse,
            (prompt + response) / n, maxTotal, prompt + response, response);
    }
}

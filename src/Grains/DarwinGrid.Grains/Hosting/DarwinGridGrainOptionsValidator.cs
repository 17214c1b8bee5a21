using Microsoft.Extensions.Options;

namespace DarwinGrid.Grains.Hosting;

/// <summary>
/// Checks the grains' options when the silo starts, so a bad value fails the start with the
/// configuration key to change (<c>DarwinGrid:Screening:BatchSize</c>) instead of a grain failing later.
/// </summary>
public sealed class DarwinGridGrainOptionsValidator : IValidateOptions<DarwinGridGrainOptions>
{
    public ValidateOptionsResult Validate(string? name, DarwinGridGrainOptions options)
    {
        var failures = Failures(options).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static IEnumerable<string> Failures(DarwinGridGrainOptions o)
    {
        const string section = DarwinGridGrainOptions.SectionName;
        var engine = $"{section}:{nameof(o.Engine)}";
        if (o.Engine.Threads is < 1)
            yield return AtLeast($"{engine}:{nameof(o.Engine.Threads)}", 1, o.Engine.Threads.Value);
        if (o.Engine.SeqMax < 1)
            yield return AtLeast($"{engine}:{nameof(o.Engine.SeqMax)}", 1, o.Engine.SeqMax);
        if (o.Engine.ContextSize < 1)
            yield return AtLeast($"{engine}:{nameof(o.Engine.ContextSize)}", 1, o.Engine.ContextSize);
        if (o.Engine.MaxAnswerTokens < 1)
            yield return AtLeast($"{engine}:{nameof(o.Engine.MaxAnswerTokens)}", 1, o.Engine.MaxAnswerTokens);
        if (o.Engine.QueueCapacity < 1)
            yield return AtLeast($"{engine}:{nameof(o.Engine.QueueCapacity)}", 1, o.Engine.QueueCapacity);

        var screening = $"{section}:{nameof(o.Screening)}";
        var s = o.Screening;
        if (s.BatchSize < 1)
            yield return AtLeast($"{screening}:{nameof(s.BatchSize)}", 1, s.BatchSize);
        if (s.MaxBatchesInFlight < 1)
            yield return AtLeast($"{screening}:{nameof(s.MaxBatchesInFlight)}", 1, s.MaxBatchesInFlight);
        if (s.MaxCandidatesPerCampaign < 1)
            yield return AtLeast($"{screening}:{nameof(s.MaxCandidatesPerCampaign)}", 1, s.MaxCandidatesPerCampaign);
        foreach (var (key, value) in new[]
                 {
                     (nameof(s.RetryWindow), s.RetryWindow), (nameof(s.RetryDelay), s.RetryDelay), (nameof(s.MaxRetryDelay), s.MaxRetryDelay),
                     (nameof(s.ModelCallTimeout), s.ModelCallTimeout), (nameof(s.ProgressInterval), s.ProgressInterval),
                     (nameof(s.CampaignCheckInterval), s.CampaignCheckInterval), (nameof(s.GeneratorCountTimeout), s.GeneratorCountTimeout),
                     (nameof(s.KeeperInterval), s.KeeperInterval),
                 })
        {
            // Timers and delays take a positive period; zero would spin.
            if (value <= TimeSpan.Zero)
                yield return $"{screening}:{key} must be a positive time span such as 00:00:02 (was {value}).";
        }

        var training = $"{section}:{nameof(o.Training)}";
        if (o.Training.ProgressInterval <= TimeSpan.Zero)
            yield return $"{training}:{nameof(o.Training.ProgressInterval)} must be a positive time span such as 00:00:02 (was {o.Training.ProgressInterval}).";
        if (o.Training.MaxLossPoints < 2)
            yield return AtLeast($"{training}:{nameof(o.Training.MaxLossPoints)}", 2, o.Training.MaxLossPoints);
    }

    private static string AtLeast(string key, long least, long value) => $"{key} must be at least {least} (was {value}).";
}

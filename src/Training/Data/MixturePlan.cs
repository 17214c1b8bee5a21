namespace DarwinGrid.Training.Data;

/// <summary>Computes each task's examples per epoch (see <see cref="MultiTaskOptions"/> for the rule).</summary>
internal static class MixturePlan
{
    public static IReadOnlyList<TaskShare> Compute(IReadOnlyList<TaskPartition> partitions, MultiTaskOptions options, Func<TaskPartition, bool> writesDistractors)
    {
        var total = options.ExamplesPerEpoch ?? partitions.Sum(p => p.Train.Count);
        var masses = partitions.Select(p => options.WeightOf(p.Task) * Math.Pow(p.Train.Count, options.SamplingExponent)).ToArray();
        var sum = masses.Sum();
        return partitions.Select((p, i) =>
        {
            var proportion = masses[i] / sum;
            var examples = Math.Max(options.MinExamplesPerTask, (int)Math.Round(proportion * total));
            var distractors = !writesDistractors(p) ? 0 : (int)Math.Round(options.DistractorRate * examples);
            // A task keeps at least one record example per epoch.
            examples = Math.Max(examples, distractors + 1);
            return new TaskShare(p.Task.Name, p.Train.Count, options.WeightOf(p.Task), proportion, examples, distractors);
        }).ToArray();
    }
}

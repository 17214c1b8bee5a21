using DarwinGrid.Domain.Datasets;
using DarwinGrid.Domain.Tasks;

namespace DarwinGrid.Training.Data;

/// <summary>
/// Divides the selected tasks' records into training and validation, leaving out the fold's test
/// part and everything that shares an input or data row with a held-out record (see <see cref="LeakGuard"/>).
/// </summary>
internal static class TaskPartitioner
{
    public static IReadOnlyList<TaskPartition> Partition(IReadOnlyList<(PropertyTask Task, DatasetLoad<TaskRecord> Load)> loads, MultiTaskOptions options, string dataRoot)
    {
        var keys = loads
            .Select(l => l.Load.Records.Select(r => RecordKeys.Of(l.Task, r, options.LeakGuard).ToArray()).ToArray())
            .ToArray();

        // 1. Each task's fold test part, and the keys it holds out.
        var testKeys = new HashSet<string>(StringComparer.Ordinal);
        var testIndices = new HashSet<int>[loads.Count];
        for (var t = 0; t < loads.Count; t++)
        {
            var (task, load) = loads[t];
            testIndices[t] = options.Fold?.TestIndices(task, load.Records, dataRoot).ToHashSet() ?? [];
            foreach (var index in testIndices[t])
                testKeys.UnionWith(keys[t][index]);
        }

        // 2. Candidates: not in a test part and sharing no key with one; from them, the validation slice.
        var candidates = new int[loads.Count][];
        var validations = new HashSet<int>[loads.Count];
        var validationKeys = new HashSet<string>(StringComparer.Ordinal);
        for (var t = 0; t < loads.Count; t++)
        {
            var recordKeys = keys[t];
            var test = testIndices[t];
            candidates[t] = Enumerable.Range(0, recordKeys.Length)
                .Where(i => !test.Contains(i) && !recordKeys[i].Any(testKeys.Contains))
                .ToArray();
            // Ordered by a seeded hash of the input, not shuffled per task: tasks that share inputs
            // (matbench_expt_gap and matbench_is_metal) then validate on the same compositions, and
            // neither loses training records to the other's validation slice through the leak guard.
            var shuffled = candidates[t]
                .OrderBy(i => SplitMix64Random.Stream(options.Seed, "validation", recordKeys[i][0]).NextUInt64())
                .ThenBy(i => i)
                .ToArray();
            var count = Math.Max(0, Math.Min((int)Math.Round(options.ValidationFraction * shuffled.Length), shuffled.Length - 1));
            validations[t] = shuffled.Take(count).ToHashSet();
            foreach (var index in validations[t])
                validationKeys.UnionWith(recordKeys[index]);
        }

        // 3. Training: the other candidates that share no key with any validation record.
        var partitions = new List<TaskPartition>();
        for (var t = 0; t < loads.Count; t++)
        {
            var (task, load) = loads[t];
            var validation = validations[t];
            var recordKeys = keys[t];
            var train = candidates[t]
                .Where(i => !validation.Contains(i) && !recordKeys[i].Any(validationKeys.Contains))
                .Select(i => load.Records[i])
                .ToArray();
            if (train.Length == 0)
                throw new InvalidOperationException(
                    $"Task '{task.Name}' has no training records left after leaving out fold {options.Fold?.Index} and the validation slice ({load.Records.Count} loaded).");
            partitions.Add(new TaskPartition(task, load.Records.Count, testIndices[t].Count,
                load.Records.Count - testIndices[t].Count - validation.Count - train.Length,
                train, validation.Order().Select(i => load.Records[i]).ToArray(), load.Skipped));
        }
        return partitions;
    }
}

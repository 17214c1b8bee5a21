using System.Globalization;

namespace DarwinGrid.Training.Data;

/// <summary>What a stage's window may be: asked for (<c>--window</c>), or at least the preset's, within the model's context.</summary>
/// <param name="Requested">The window given on the command line; null: chosen from the data.</param>
/// <param name="Minimum">The preset's window: the data can make the window longer, never shorter.</param>
/// <param name="ContextLength">The model's context: no window may exceed it.</param>
public sealed record TrainingWindowRequest(int? Requested, int Minimum, int ContextLength);

/// <summary>A window the run cannot train with: it would drop more than 1% of a task's examples or a validation record.</summary>
public sealed class TrainingWindowException(string message) : ArgumentException(message);

/// <summary>
/// The training window from the tokenized run: long enough for every validation record and for at
/// least 99% of each task's examples (and never shorter than the preset's). A window that would drop
/// more — asked for with <c>--window</c>, or capped by the model's context — fails naming the task and
/// its lengths instead of training quietly on what is left.
/// </summary>
public static class TrainingWindow
{
    /// <summary>The largest share of a task's training examples a window may leave out.</summary>
    public const double MaxDroppedFraction = 0.01;

    public static int Choose(IReadOnlyList<TokenizedExample> train, IReadOnlyList<TokenizedExample> validation, TrainingWindowRequest request)
    {
        var tasks = train.GroupBy(e => e.Task, StringComparer.Ordinal)
            .Select(g => new TaskLengths(g.Key, g.Select(e => e.Length).Order().ToArray())).ToArray();
        var validationByTask = validation.GroupBy(e => e.Task, StringComparer.Ordinal)
            .Select(g => new TaskLengths(g.Key, g.Select(e => e.Length).Order().ToArray())).ToArray();
        var needed = Math.Max(tasks.Select(t => t.Needed).DefaultIfEmpty(0).Max(), validationByTask.Select(t => t.Longest).DefaultIfEmpty(0).Max());
        var window = request.Requested ?? Math.Max(request.Minimum, needed);
        if (window > request.ContextLength)
        {
            var culprit = tasks.Concat(validationByTask).OrderByDescending(t => t.Needed).First();
            throw new TrainingWindowException(request.Requested is not null
                ? $"--window {window} exceeds the model's context of {request.ContextLength} tokens."
                : $"Task '{culprit.Task}' needs a window of {culprit.Needed} tokens (its examples are {culprit.Describe()}), more than the model's context of {request.ContextLength} tokens.");
        }
        foreach (var task in validationByTask)
        {
            var dropped = task.LongerThan(window);
            if (dropped > 0)
                throw new TrainingWindowException(
                    $"A window of {window} tokens would drop {dropped} of {task.Count} validation records of task '{task.Task}' ({task.Describe()}); " +
                    $"no validation record may be dropped: train with --window {task.Longest} or more.");
        }
        foreach (var task in tasks)
        {
            var dropped = task.LongerThan(window);
            if (dropped > MaxDroppedFraction * task.Count)
                throw new TrainingWindowException(
                    $"A window of {window} tokens would drop {dropped:N0} of {task.Count:N0} examples ({(double)dropped / task.Count:P1}) of task '{task.Task}' ({task.Describe()}); " +
                    $"at most {MaxDroppedFraction:P0} of a task may be dropped: train with --window {task.Needed} or more.");
        }
        return window;
    }

    private sealed record TaskLengths(string Task, int[] Sorted)
    {
        public int Count => Sorted.Length;

        public int Longest => Sorted[^1];

        /// <summary>The shortest window that drops at most 1% of the examples.</summary>
        public int Needed => Sorted[Count - 1 - (int)Math.Floor(MaxDroppedFraction * Count)];

        public int LongerThan(int window) => Count - UpperBound(window);

        public string Describe() => string.Create(CultureInfo.InvariantCulture,
            $"{Sorted[0]}-{Longest} tokens, 99% within {Needed}, median {Sorted[Count / 2]}");

        private int UpperBound(int value)
        {
            var index = Array.BinarySearch(Sorted, value + 1);
            if (index < 0) return ~index;
            while (index > 0 && Sorted[index - 1] == value + 1) index--;
            return index;
        }
    }
}

using System.Globalization;
using DarwinGrid.Domain.Tasks;

namespace DarwinGrid.Evaluation.Models;

/// <summary>
/// How an ensemble answers a record from its members' answers: a number is the mean of the members'
/// numbers and its interval the mean of their lows and of their highs (only when every answering
/// member gave one: a mean over some members' bounds would not be an interval of the same kind);
/// class probabilities are the mean of the members' probabilities. A member that failed on the record,
/// or whose answer could not be scored (not finite, wrong number of classes), is left out of that
/// record; when no member answered, the record is a failure naming every member's reason.
/// </summary>
public static class EnsembleCombination
{
    /// <param name="memberNames">One name per member, for the failure message.</param>
    /// <param name="memberOutputs">Per member, one output per record, all in the same record order.</param>
    public static IReadOnlyList<ModelOutput> Combine(PropertyTask task, IReadOnlyList<string> memberNames, IReadOnlyList<IReadOnlyList<ModelOutput>> memberOutputs)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (memberOutputs.Count == 0) throw new ArgumentException("An ensemble needs at least one member.", nameof(memberOutputs));
        if (memberNames.Count != memberOutputs.Count)
            throw new ArgumentException($"{memberNames.Count} member names for {memberOutputs.Count} members.", nameof(memberNames));
        var records = memberOutputs[0].Count;
        for (var m = 1; m < memberOutputs.Count; m++)
        {
            if (memberOutputs[m].Count != records)
                throw new ArgumentException($"Member '{memberNames[m]}' answered {memberOutputs[m].Count} records, '{memberNames[0]}' {records}.", nameof(memberOutputs));
        }
        return Enumerable.Range(0, records)
            .Select(r => CombineRecord(task, memberNames, memberOutputs.Select(outputs => outputs[r]).ToArray()))
            .ToArray();
    }

    /// <summary>The ensemble's answer for one record from each member's answer to it (in member order).</summary>
    public static ModelOutput CombineRecord(PropertyTask task, IReadOnlyList<string> memberNames, IReadOnlyList<ModelOutput> answers)
    {
        var answered = answers.Where(a => Usable(task, a)).ToArray();
        if (answered.Length == 0)
            return ModelOutput.Failure($"every member of the ensemble failed: {string.Join("; ", answers.Select((a, m) => $"{memberNames[m]}: {Reason(task, a)}"))}");
        if (task.Kind == TaskKind.Regression)
        {
            var value = answered.Average(a => a.Value!.Value);
            return answered.All(HasFiniteInterval)
                ? ModelOutput.Number(value, answered.Average(a => a.Low!.Value), answered.Average(a => a.High!.Value))
                : ModelOutput.Number(value);
        }
        var scores = new double[task.Classes.Count];
        for (var c = 0; c < scores.Length; c++)
            scores[c] = answered.Average(a => a.ClassScores![c]);
        return ModelOutput.Classes(scores);
    }

    private static bool HasFiniteInterval(ModelOutput answer) => answer.Low is { } low && double.IsFinite(low) && answer.High is { } high && double.IsFinite(high);

    private static bool Usable(PropertyTask task, ModelOutput answer) =>
        answer.Error is null && (task.Kind == TaskKind.Regression
            ? answer.Value is { } v && double.IsFinite(v)
            : answer.ClassScores is { } s && s.Count == task.Classes.Count && s.All(double.IsFinite));

    private static string Reason(PropertyTask task, ModelOutput answer) =>
        answer.Error ?? (task.Kind == TaskKind.Regression
            ? $"not a finite number ({answer})"
            : $"not {task.Classes.Count.ToString(CultureInfo.InvariantCulture)} finite class scores ({answer})");
}

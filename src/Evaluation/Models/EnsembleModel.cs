using DarwinGrid.Domain.Datasets;
using DarwinGrid.Domain.Tasks;

namespace DarwinGrid.Evaluation.Models;

/// <summary>
/// Several models answering as one: each member is fitted and asked in turn (one at a time, so only
/// one member's engine holds memory), and every record's answer is combined by
/// <see cref="EnsembleCombination"/>. A member that throws fails the whole fold, as a single model would.
/// </summary>
public sealed class EnsembleModel : IPropertyModel
{
    private readonly IReadOnlyList<IPropertyModel> _members;

    public EnsembleModel(string name, IReadOnlyList<IPropertyModel> members)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (members is not { Count: > 0 }) throw new ArgumentException("An ensemble needs at least one member.", nameof(members));
        Name = name;
        _members = members;
    }

    public string Name { get; }

    public IReadOnlyList<IPropertyModel> Members => _members;

    public async Task FitAsync(PropertyTask task, IReadOnlyList<TaskRecord> trainRecords, CancellationToken cancellationToken)
    {
        foreach (var member in _members)
            await member.FitAsync(task, trainRecords, cancellationToken);
    }

    public async Task<IReadOnlyList<ModelOutput>> PredictAsync(PropertyTask task, IReadOnlyList<TaskRecord> testRecords, CancellationToken cancellationToken)
    {
        var answers = new List<IReadOnlyList<ModelOutput>>(_members.Count);
        foreach (var member in _members)
        {
            var outputs = await member.PredictAsync(task, testRecords, cancellationToken);
            if (outputs.Count != testRecords.Count)
                throw new InvalidOperationException($"Ensemble member '{member.Name}' returned {outputs.Count} outputs for {testRecords.Count} records of {task.Name}.");
            answers.Add(outputs);
        }
        return EnsembleCombination.Combine(task, _members.Select(m => m.Name).ToArray(), answers);
    }
}

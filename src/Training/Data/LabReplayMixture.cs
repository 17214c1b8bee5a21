using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DarwinGrid.Domain.Prompts;

namespace DarwinGrid.Training.Data;

/// <summary>
/// Stage 2 for learning from a lab: each epoch is every lab record once (a seeded random one of its
/// task's instructions, as the shared data's records get) plus a replay of the original multi-task
/// mixture's epoch, so the model does not forget the other tasks. The replay is
/// <c>round(labCount · share / (1 − share))</c> examples, the first ones of the mixture's already
/// shuffled epoch e (a pure function of seed and e, like the mixture). Validation is the mixture's,
/// untouched: the lab records never enter it.
/// </summary>
public sealed class LabReplayMixture
{
    /// <summary>Half of each epoch replayed: the usual 1:1 experience replay of continual fine-tuning.</summary>
    public const double DefaultReplayShare = 0.5;

    private readonly MultiTaskMixture _mixture;
    private readonly (LabRecord Record, Domain.Tasks.PropertyTask Task)[] _records;

    public LabReplayMixture(MultiTaskMixture mixture, IReadOnlyList<LabRecord> records, double replayShare = DefaultReplayShare)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0) throw new ArgumentException("There are no lab records to learn from.", nameof(records));
        ValidateShare(replayShare);
        _mixture = mixture;
        _records = records.Select(r => (r, r.ValidatedTask())).ToArray();
        ReplayShare = replayShare;
        ReplayPerEpoch = (int)Math.Round(records.Count * replayShare / (1 - replayShare));
    }

    public double ReplayShare { get; }

    public int LabRecords => _records.Length;

    /// <summary>Replayed mixture examples per epoch (at most the mixture's epoch).</summary>
    public int ReplayPerEpoch { get; }

    public static void ValidateShare(double replayShare)
    {
        if (!(replayShare is >= 0 and < 1))
            throw new ArgumentOutOfRangeException(nameof(replayShare), replayShare, $"The lab replay share must be in [0, 1) (got {replayShare}).");
    }

    /// <summary>Identifies records and share for a run's configuration (a resumed run must learn from the same ones).</summary>
    public static string Sha256(IReadOnlyList<LabRecord> records, double replayShare)
    {
        var text = new StringBuilder(replayShare.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        foreach (var r in records)
            text.Append(r.Task).Append('\t').Append(r.Composition).Append('\t').Append(r.Value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    public IReadOnlyList<TrainingExample> Validation() => _mixture.Validation();

    public IReadOnlyList<TrainingExample> Epoch(int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        var format = _mixture.Options.Format;
        var random = SplitMix64Random.Stream(_mixture.Options.Seed, "lab", "epoch", epoch);
        var examples = new List<TrainingExample>(_records.Length + ReplayPerEpoch);
        foreach (var (record, task) in _records)
        {
            var prompt = TaskPrompts.ForCandidate(format, task, record.Composition, random.NextInt(task.Instructions.Count));
            examples.Add(new TrainingExample(task.Name, prompt, task.Answer.Format(record.Composition, new Domain.Tasks.TargetValue.Number(record.Value)))
            {
                Kind = ExampleKind.LabRecord,
            });
        }
        if (ReplayPerEpoch > 0)
            examples.AddRange(_mixture.Epoch(epoch).Take(ReplayPerEpoch));
        SplitMix64Random.Stream(_mixture.Options.Seed, "lab", "shuffle", epoch).Shuffle(examples);
        return examples;
    }
}

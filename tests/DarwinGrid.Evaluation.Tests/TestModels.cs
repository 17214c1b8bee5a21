using DarwinGrid.Domain.Datasets;
using DarwinGrid.Domain.Tasks;
using DarwinGrid.Evaluation.Baselines;
using DarwinGrid.Evaluation.Models;
using DarwinGrid.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace DarwinGrid.Evaluation.Tests;

/// <summary>Helpers shared by the harness tests: baseline specs on the shared data and a temporary output folder.</summary>
internal static class TestModels
{
    public static ModelSpec Baseline(string name) =>
        new BaselineModelSpecs().TryResolve(name, new ModelSpecContext(SharedData.Root, NullLoggerFactory.Instance))
        ?? throw new ArgumentException(name);

    public static string TemporaryFolder() =>
        Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "darwingrid-eval-tests", Guid.NewGuid().ToString("N"))).FullName;

    public static IReadOnlyList<TaskRecord> Records(PropertyTask task) => TaskDatasetLoader.Load(task, SharedData.Root).Records;
}

/// <summary>
/// Answers with the true target (it reads it from the record), except for every third record,
/// which fails; counts its fits so tests can see whether a fold was recomputed.
/// </summary>
internal sealed class OracleWithFailures(Counter fits) : IPropertyModel
{
    public string Name => "oracle-with-failures";

    public Task FitAsync(PropertyTask task, IReadOnlyList<TaskRecord> trainRecords, CancellationToken cancellationToken)
    {
        fits.Increment();
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ModelOutput>> PredictAsync(PropertyTask task, IReadOnlyList<TaskRecord> testRecords, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ModelOutput>>(testRecords.Select((r, i) =>
            i % 3 == 0 ? ModelOutput.Failure($"no answer for {r.Input}")
            : task.Kind == TaskKind.Regression ? ModelOutput.Number(r.Target.AsNumber())
            : ModelOutput.Classes(task.Classes.Select((_, c) => c == r.Target.AsClassIndex() ? 1.0 : 0.0).ToArray())).ToArray());
}

internal sealed class Counter
{
    private int _value;
    public int Value => _value;
    public void Increment() => Interlocked.Increment(ref _value);
}

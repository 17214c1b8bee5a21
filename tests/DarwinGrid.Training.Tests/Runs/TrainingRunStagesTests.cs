using System.Globalization;
using DarwinGrid.Domain.Datasets;
using DarwinGrid.Training.Checkpoints;
using DarwinGrid.Training.Data;
using DarwinGrid.Training.Gguf;
using DarwinGrid.Training.Lora;
using DarwinGrid.Training.Models;
using DarwinGrid.Training.Optimization;
using DarwinGrid.Training.Runs;
using DarwinGrid.TestSupport;
using DarwinGrid.Domain.Training;

namespace DarwinGrid.Training.Tests.Runs;

/// <summary>
/// Whole runs of the tiny preset through both of DARWIN's stages: outputs per stage, resuming a
/// cancelled run to the same model, and the failures that must never leave a silent wrong model
/// (another configuration, a damaged checkpoint, divergence, a full disk, bad data rows, a foreign vocabulary).
/// </summary>
public sealed class TrainingRunStagesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("darwin-stages-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private TrainingRunOptions TwoStages(string folder, int seed = 1) => new()
    {
        Preset = TrainingPresets.Tiny,
        OutputDirectory = Path.Combine(_dir, folder),
        DataRoot = SharedData.Root,
        Stages = [TrainingStages.Qa, TrainingStages.MultiTask],
        MaxSteps = 6,
        Seed = seed,
        Fold = new FoldSelection(0),
        Threads = 1,
        CheckpointEverySteps = 2,
    };

    [Fact]
    public void QaThenMultiTaskWritesEachStagesModelOneManifestAndOneCurveAndRemovesTheCheckpoint()
    {
        var options = TwoStages("both");
        var result = TrainingRun.Execute(options);

        var qaModel = TrainingRun.StageModelPath(options.OutputDirectory, "darwin-tiny", "qa");
        var qa = LlamaCheckpoint.Load(qaModel);
        var final = LlamaCheckpoint.Load(result.ModelPath);
        Assert.NotEqual(qa.Weights["output.weight"], final.Weights["output.weight"]);

        var manifest = TrainingRunManifest.ReadFrom(result.ManifestPath);
        Assert.Equal(["qa", "multitask"], manifest.StageRuns.Select(s => s.Stage));
        Assert.Equal(["darwin-tiny-qa.gguf", "darwin-tiny.gguf"], manifest.StageRuns.Select(s => s.OutputFile));
        Assert.Equal("new:tiny", manifest.Base);
        Assert.Equal("qa", manifest.StageRuns[0].Data.Stage);
        Assert.Equal(QaExamples.TaskName, Assert.Single(manifest.StageRuns[0].Data.Tasks).Task);
        // The QA window comes from the data (every validation pair fits), never shorter than the preset's 192.
        var qaWindow = manifest.StageRuns[0].Trainer.WindowLength;
        Assert.InRange(qaWindow, 193, 512);
        Assert.Equal(qaWindow, manifest.StageRuns[0].Data.Tokenization!.MaxTokens);
        Assert.Equal(0, manifest.StageRuns[0].Data.Tokenization!.Dropped);
        Assert.Equal("multitask", manifest.Data.Stage);
        Assert.All(manifest.StageRuns, s => Assert.Equal(6, s.Outcome.Steps));
        Assert.Equal(manifest.StageRuns[1].OutputSha256, manifest.ModelSha256);

        var rows = File.ReadAllLines(result.LossCurvePath).Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.Equal(Enumerable.Repeat("qa", 7).Concat(Enumerable.Repeat("multitask", 7)), rows.Select(r => r[^1]));
        Assert.False(File.Exists(TrainingRun.CheckpointPath(options.OutputDirectory, "darwin-tiny")));
    }

    [Fact]
    public void ALoraRunWritesEachStagesAdapterOnAFrozenBaseAndEndsWithTheMergedModel()
    {
        var options = TwoStages("lora") with { Mode = TrainingMode.Lora, Lora = new LoraOptions { Rank = 4, Alpha = 8 } };
        var result = TrainingRun.Execute(options);

        var manifest = TrainingRunManifest.ReadFrom(result.ManifestPath);
        Assert.Equal(["darwin-tiny-qa.lora.gguf", "darwin-tiny-multitask.lora.gguf"], manifest.StageRuns.Select(s => s.OutputFile));
        Assert.Equal("darwin-tiny.gguf", manifest.ModelFile);
        var qa = LoraAdapterGguf.Read(TrainingRun.StageAdapterPath(options.OutputDirectory, "darwin-tiny", "qa"));
        var multitask = LoraAdapterGguf.Read(TrainingRun.StageAdapterPath(options.OutputDirectory, "darwin-tiny", "multitask"));
        Assert.Equal(4, qa.Options.Rank);
        Assert.All(qa.Weights.Concat(multitask.Weights), w => Assert.Contains(w.B, b => b != 0f));

        // The base is the preset's seeded random model and never changes: the multitask stage goes on
        // training the qa stage's adapter, and the final model is exactly base + that adapter.
        Assert.NotEqual(qa.Weights[0].B, multitask.Weights[0].B);
        var start = BaseModel.Load(options.EffectiveBase, options.Preset, "darwin-tiny", options.DataRoot, options.Seed).Checkpoint;
        var expected = LoraMerge.Merge(start, multitask);
        var final = LlamaCheckpoint.Load(result.ModelPath);
        foreach (var (name, values) in expected.Weights)
        {
            var actual = final.Weights[name];
            for (var i = 0; i < values.Length; i++)
                Assert.True(MathF.Abs(actual[i] - values[i]) <= 1e-5f * (1 + MathF.Abs(values[i])), $"{name}[{i}]: {actual[i]} vs {values[i]}");
        }
        Assert.NotEqual(start.Weights["blk.0.attn_q.weight"], final.Weights["blk.0.attn_q.weight"]);
        // LoRA never touches tensors without an adapter.
        Assert.Equal(start.Weights["token_embd.weight"], final.Weights["token_embd.weight"]);
    }

    [Fact]
    [Trait("Category", TestCategories.Slow)]
    public void ACancelledRunResumesToTheSameModelAndLossCurveAndRefusesAnotherConfigurationOrADamagedCheckpoint()
    {
        var whole = TrainingRun.Execute(TwoStages("whole"));

        var options = TwoStages("cancelled");
        using (var cancellation = new CancellationTokenSource())
        {
            var steps = 0;
            // The 9th step event is step 3 of the second stage.
            var progress = new Reporter(p => { if (p.Kind == TrainingProgressKind.Step && ++steps == 9) cancellation.Cancel(); });
            Assert.Throws<OperationCanceledException>(() => TrainingRun.Execute(options, progress, null, cancellation.Token));
        }
        var checkpointPath = TrainingRun.CheckpointPath(options.OutputDirectory, "darwin-tiny");
        var saved = RunCheckpoint.Load(checkpointPath);
        Assert.Equal("multitask", saved.Header.Stage);
        Assert.Equal(3, saved.Header.Cursor!.Step);
        Assert.False(File.Exists(TrainingRun.ModelPath(options.OutputDirectory, "darwin-tiny")));

        Assert.Contains("--resume", Assert.Throws<ArgumentException>(() => TrainingRun.Execute(options)).Message);
        var other = Assert.Throws<ArgumentException>(() => TrainingRun.Execute(TwoStages("cancelled", seed: 2) with { Resume = true }));
        Assert.Matches(@"different configuration \(differs in: [a-z, ]*\bseed\b", other.Message);

        var damaged = Path.Combine(_dir, "damaged");
        Directory.CreateDirectory(damaged);
        var bytes = File.ReadAllBytes(checkpointPath);
        File.WriteAllBytes(TrainingRun.CheckpointPath(damaged, "darwin-tiny"), bytes[..(bytes.Length / 2)]);
        var corrupt = Assert.Throws<InvalidDataException>(() => TrainingRun.Execute(options with { OutputDirectory = damaged, Resume = true }));
        Assert.Contains(TrainingRun.CheckpointPath(damaged, "darwin-tiny"), corrupt.Message);

        var resumed = TrainingRun.Execute(options with { Resume = true });
        Assert.Equal(whole.Manifest.ModelSha256, resumed.Manifest.ModelSha256);
        Assert.Equal(Losses(whole.LossCurvePath), Losses(resumed.LossCurvePath));
        Assert.Equal([3], resumed.Manifest.StageRuns[1].ResumedAtSteps);
        Assert.Empty(resumed.Manifest.StageRuns[0].ResumedAtSteps);
        Assert.Equal(whole.Manifest.StageRuns[0].OutputSha256, resumed.Manifest.StageRuns[0].OutputSha256);
    }

    [Fact]
    public void AHugeLearningRateStopsTheRunAsDivergedWithoutWritingAModel()
    {
        var options = TwoStages("diverged") with { Stages = [TrainingStages.MultiTask], LearningRate = 1e6f };
        var error = Assert.Throws<TrainingDivergedException>(() => TrainingRun.Execute(options));
        Assert.Contains("Training diverged", error.Message);
        Assert.False(File.Exists(TrainingRun.ModelPath(options.OutputDirectory, "darwin-tiny")));
        Assert.False(File.Exists(TrainingRun.ManifestPath(options.OutputDirectory, "darwin-tiny")));
    }

    [Fact]
    public void ADiskFullCheckpointFailsTheRunByNameAndThePreviousCheckpointStaysUsable()
    {
        if (!File.Exists("/dev/full")) return;   // Linux only: writes to /dev/full fail with ENOSPC.
        var options = TwoStages("full") with { Stages = [TrainingStages.MultiTask] };
        var checkpointPath = TrainingRun.CheckpointPath(options.OutputDirectory, "darwin-tiny");
        // After step 3 the step-2 checkpoint exists; the step-4 one is then written to a "full disk".
        var progress = new Reporter(p =>
        {
            if (p.Kind == TrainingProgressKind.Step && p.Step == 3) File.CreateSymbolicLink(AtomicFile.PartialPath(checkpointPath), "/dev/full");
        });
        var error = Assert.Throws<IOException>(() => TrainingRun.Execute(options, progress));
        Assert.Contains("No space left on device", error.Message);
        Assert.Contains($"The previous checkpoint '{checkpointPath}' is unchanged", error.Message);
        Assert.Equal(2, RunCheckpoint.Load(checkpointPath).Header.Cursor!.Step);
        Assert.False(File.Exists(TrainingRun.ModelPath(options.OutputDirectory, "darwin-tiny")));

        var resumed = TrainingRun.Execute(options with { Resume = true });
        Assert.Equal(6, resumed.Manifest.Outcome.Steps);
        Assert.Equal([2], resumed.Manifest.StageRuns[0].ResumedAtSteps);
    }

    [Fact]
    public void BadDataRowsAreSkippedAndRecordedInTheManifest()
    {
        var data = DataRootWithBadRows(["  ,1.2", "Fe2O3,not-a-gap", "NaCl,"]);
        var options = TwoStages("bad-rows") with { Stages = [TrainingStages.MultiTask], DataRoot = data, MaxSteps = 2 };
        var clean = MultiTaskMixture.Load(SharedData.Root, new MultiTaskOptions { Tasks = ["matbench_expt_gap"] }).Partitions[0].Skipped.Count;

        var manifest = TrainingRun.Execute(options).Manifest;
        var rows = manifest.Data.Tasks.Single(t => t.Task == "matbench_expt_gap");
        Assert.Equal(clean + 3, rows.Skipped);
        var dataRows = File.ReadAllLines(SharedData.PathOf("darwin", "matbench_expt_gap", "matbench_expt_gap.csv")).Length - 1;
        var reasons = manifest.Data.SkippedRows!.Where(s => s.File.EndsWith("matbench_expt_gap.csv", StringComparison.Ordinal) && s.RowNumber > dataRows)
            .OrderBy(s => s.RowNumber).ToArray();
        Assert.Equal([dataRows + 1, dataRows + 2, dataRows + 3], reasons.Select(r => r.RowNumber));
        Assert.Contains("empty input", reasons[0].Reason);
        Assert.Contains("'not-a-gap' is not a number", reasons[1].Reason);
        Assert.Contains("empty target", reasons[2].Reason);
    }

    [Fact]
    [Trait("Category", TestCategories.Slow)]
    public void AGgufBaseIsTrainedFurtherAndAVocabularyLlamaCppCannotLoadIsRefused()
    {
        var first = TrainingRun.Execute(TwoStages("first") with { Stages = [TrainingStages.MultiTask], MaxSteps = 2 });
        var further = TrainingRun.Execute(TwoStages("further") with { Stages = [TrainingStages.MultiTask], MaxSteps = 2, Base = TrainingBase.Parse(first.ModelPath) });
        Assert.Equal(first.Manifest.ModelSha256, further.Manifest.BaseSha256);
        Assert.EndsWith("darwin-tiny-tiny.gguf", further.ModelPath);
        Assert.NotEqual(first.Manifest.ModelSha256, further.Manifest.ModelSha256);

        var model = LlamaCheckpoint.Load(first.ModelPath);
        // A byte-level BPE label on SentencePiece pieces, without merges: llama.cpp cannot read that vocabulary.
        var foreign = Path.Combine(_dir, "gpt2-vocabulary.gguf");
        (model with { Metadata = [.. model.Metadata.Select(kv => kv.Key == "tokenizer.ggml.model" ? new(kv.Key, GgufValue.Of("gpt2")) : kv)] }).Save(foreign);
        var error = Assert.Throws<ArgumentException>(() => TrainingRun.Execute(TwoStages("foreign") with { Base = TrainingBase.Parse(foreign) }));
        Assert.Contains("llama.cpp could not load the vocabulary", error.Message);
        Assert.Contains(foreign, error.Message);
    }

    /// <summary>The shared data folder mirrored by symbolic links, with rows appended to a copy of matbench_expt_gap.csv.</summary>
    private string DataRootWithBadRows(IEnumerable<string> rows)
    {
        var root = Path.Combine(_dir, "data");
        void Mirror(string from, string to, string keepOut)
        {
            Directory.CreateDirectory(to);
            foreach (var entry in Directory.EnumerateFileSystemEntries(from))
            {
                var name = Path.GetFileName(entry);
                if (name != keepOut) File.CreateSymbolicLink(Path.Combine(to, name), entry);
            }
        }
        Mirror(SharedData.Root, root, "darwin");
        Mirror(SharedData.PathOf("darwin"), Path.Combine(root, "darwin"), "matbench_expt_gap");
        var task = Path.Combine(root, "darwin", "matbench_expt_gap");
        Mirror(SharedData.PathOf("darwin", "matbench_expt_gap"), task, "matbench_expt_gap.csv");
        var csv = File.ReadAllText(SharedData.PathOf("darwin", "matbench_expt_gap", "matbench_expt_gap.csv"));
        File.WriteAllText(Path.Combine(task, "matbench_expt_gap.csv"), csv.TrimEnd('\n') + "\n" + string.Join("\n", rows) + "\n");
        return root;
    }

    internal static string[] Losses(string csv) =>
        File.ReadAllLines(csv).Skip(1).Select(l => l.Split(','))
            .Select(r => string.Join(',', r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[^1])).ToArray();

    internal sealed class Reporter(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}

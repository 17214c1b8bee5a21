using System.Diagnostics;
using DarwinGrid.Training.Models;
using DarwinGrid.Training.Native;

namespace DarwinGrid.Training.Optimization;

/// <summary>What the startup self-test measured.</summary>
public sealed record TrainerSelfTestReport(GgmlLibraryPaths Libraries, double LossBefore, double LossAfter, double AccuracyAfter, TimeSpan Elapsed);

public sealed class TrainerSelfTestException(string message) : Exception(message);

/// <summary>
/// Proves, before any real training, that the native ggml build is the one this trainer was written
/// for: one copy of ggml mapped, the struct layouts measured for LLamaSharp.Backend.Cpu 0.30.0, and a
/// tiny model that learns a lookup task in a few dozen steps through every trainable layer.
/// </summary>
public static class TrainerSelfTest
{
    public static TrainerSelfTestReport Run(int threads = 0)
    {
        var clock = Stopwatch.StartNew();
        var libraries = GgmlLibrary.Loaded;
        CheckSingleCopy(libraries);
        CheckStructLayouts();
        var (before, after, accuracy) = TinyFit(threads);
        if (!(after < 0.5 * before) || accuracy < 0.9)
            throw new TrainerSelfTestException(
                $"Trainer self-test failed: a tiny model did not learn (answer loss {before:F3} -> {after:F3}, accuracy {accuracy:P0}). " +
                $"The native ggml build at '{libraries.BasePath}' probably differs from LLamaSharp.Backend.Cpu 0.30.0.");
        return new TrainerSelfTestReport(libraries, before, after, accuracy, clock.Elapsed);
    }

    private static void CheckSingleCopy(GgmlLibraryPaths libraries)
    {
        if (!OperatingSystem.IsLinux()) return;
        var copies = File.ReadLines("/proc/self/maps")
            .Select(line => line.IndexOf('/') is var slash and >= 0 ? line[slash..].Trim() : "")
            .Where(path => Path.GetFileName(path) == Path.GetFileName(libraries.BasePath))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (copies.Count != 1)
            throw new TrainerSelfTestException($"Trainer self-test failed: {copies.Count} copies of ggml-base are loaded ({string.Join(", ", copies)}); exactly one is expected.");
    }

    private static void CheckStructLayouts()
    {
        // A 28-byte struct returned by value: misreading its layout shifts or garbles these defaults.
        var defaults = Ggml.ggml_opt_get_default_optimizer_params(0);
        float[] expected = [0.001f, 0.9f, 0.999f, 1e-8f, 0f, 0.001f, 0f];
        float[] actual = [defaults.AdamAlpha, defaults.AdamBeta1, defaults.AdamBeta2, defaults.AdamEps, defaults.AdamWeightDecay, defaults.SgdAlpha, defaults.SgdWeightDecay];
        if (!expected.SequenceEqual(actual))
            throw new TrainerSelfTestException(
                $"Trainer self-test failed: ggml_opt_optimizer_params defaults are [{string.Join(", ", actual)}], expected [{string.Join(", ", expected)}]; the native struct layout differs from this build.");

        // ggml_init_params (24 bytes, bool as byte): a context must hold exactly what it was sized for.
        using var context = GgmlContextHandle.CreateNoAlloc(1);
        var tensor = Ggml.ggml_new_tensor_2d(context.Pointer, GgmlTensorType.F32, 3, 5);
        if (Ggml.ggml_nbytes(tensor) != 60 || Ggml.ggml_nelements(tensor) != 15)
            throw new TrainerSelfTestException($"Trainer self-test failed: a 3x5 F32 tensor reports {Ggml.ggml_nbytes(tensor)} bytes; the ggml tensor API differs from this build.");
    }

    private static (double Before, double After, double Accuracy) TinyFit(int threads)
    {
        const int vocabulary = 24;
        var h = new LlamaHyperparameters(vocabulary, 32, 2, 4, 2, 64, ContextLength: 64);
        var checkpoint = new LlamaCheckpoint(h, [], RandomLlamaModel.CreateWeights(h, seed: 1));
        // "<s> a b =" -> "f(a) f(b)": a lookup through the embeddings, attention and output head.
        var random = new Random(2);
        var records = Enumerable.Range(0, 256).Select(_ =>
        {
            int a = random.Next(4, 20), b = random.Next(4, 20);
            return new TrainingRecord([1, a, b, 3], [Map(a), Map(b)]);
        }).ToList();
        var options = new TrainerOptions { BatchRows = 16, LearningRate = 1e-2f, WarmupSteps = 5, Epochs = 8, MaxSteps = 60, Threads = threads, Seed = 3 };
        using var trainer = new LlamaTrainer(checkpoint, options);
        var before = trainer.Evaluate(records);
        trainer.Train(records, []);
        var after = trainer.Evaluate(records);
        return (before.Loss, after.Loss, after.Accuracy);
    }

    private static int Map(int token) => 4 + (token * 7 + 3) % 20;
}

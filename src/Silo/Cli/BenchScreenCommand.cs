using System.CommandLine;
using System.Globalization;
using DarwinGrid.Silo.Benchmarks;
using DarwinGrid.Silo.Hosting;

namespace DarwinGrid.Silo.Cli;

/// <summary>
/// <c>darwin bench screen</c>: candidates/s through the whole grain path against the engine alone on
/// the same model and inputs, then activations and memory for a large campaign and for material grains.
/// </summary>
public static class BenchScreenCommand
{
    public static Command Create()
    {
        var model = new Option<FileInfo?>("--model") { Description = "Model GGUF (default: a random 128x4 model in a temp folder)." };
        var count = new Option<int>("--n") { Description = "Candidates of the throughput comparison.", DefaultValueFactory = _ => 2000 };
        var repeats = new Option<int>("--repeats") { Description = "Alternating runs of both paths; medians are reported.", DefaultValueFactory = _ => 3 };
        var scale = new Option<int>("--scale-n") { Description = "Candidates of the large campaign (0 skips it).", DefaultValueFactory = _ => 100_000 };
        var materials = new Option<int>("--materials") { Description = "Material grains to activate for the per-activation memory.", DefaultValueFactory = _ => 10_000 };
        var seqMax = new Option<int>("--seqmax") { Description = "Sequences decoded together (both paths).", DefaultValueFactory = _ => 64 };
        var threads = new Option<int>("--threads") { Description = "CPU threads for llama.cpp.", DefaultValueFactory = _ => 2 };
        var maxTokens = new Option<int>("--max-tokens") { Description = "Answer token cap.", DefaultValueFactory = _ => 8 };
        var batch = new Option<int>("--batch") { Description = "Candidates per task-grain batch.", DefaultValueFactory = _ => 64 };
        var inFlight = new Option<int>("--in-flight") { Description = "Batches a task grain keeps in flight.", DefaultValueFactory = _ => 6 };
        var dataDir = CommonOptions.DataDir();
        var command = new Command("screen", "Benchmark the grain path (campaign -> task -> model grain -> store) against the engine alone.");
        foreach (var option in new Option[] { model, count, repeats, scale, materials, seqMax, threads, maxTokens, batch, inFlight, dataDir })
            command.Options.Add(option);
        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var output = r.InvocationConfiguration.Output;
            if (r.GetValue(count) < 1 || r.GetValue(repeats) < 1 || r.GetValue(scale) < 0 || r.GetValue(materials) < 0 || r.GetValue(batch) < 1 || r.GetValue(inFlight) < 1)
            {
                r.InvocationConfiguration.Error.WriteLine("--n, --repeats, --batch and --in-flight must be at least 1; --scale-n and --materials not negative.");
                return 2;
            }
            NativeLog.ErrorsOnly();
            string? temporary = null;
            try
            {
                var modelPath = r.GetValue(model)?.FullName;
                if (modelPath is null)
                {
                    temporary = Directory.CreateTempSubdirectory("darwin-bench-").FullName;
                    modelPath = RandomBenchModel.Write(temporary, DarwinGrid.Domain.Data.SharedDataLocator.Locate(r.GetValue(dataDir)));
                }
                var settings = new ScreenBenchmarkSettings(modelPath, r.GetValue(count), r.GetValue(repeats), r.GetValue(scale), r.GetValue(materials), r.GetValue(seqMax),
                    r.GetValue(threads), r.GetValue(maxTokens), r.GetValue(batch), r.GetValue(inFlight), r.GetValue(dataDir));
                await output.WriteLineAsync(Invariant($"bench screen: {(r.GetValue(model)?.FullName ?? "random 128x4 model")}, band gap, seqmax {settings.SeqMax}, {settings.Threads} threads, batches of {settings.BatchSize} x {settings.BatchesInFlight} in flight; load average {LoadAverage()} on {Environment.ProcessorCount} cores (shared with other work: figures vary)"));
                var benchmark = new ScreenBenchmark(settings, line => output.WriteLine(line));
                var throughput = await benchmark.MeasureThroughputAsync(ct);
                await output.WriteLineAsync(Invariant(
                    $"medians over {settings.Repeats} runs of {throughput.Candidates} candidates: engine alone {throughput.EnginePerSecond:F1}/s, grain path {throughput.GrainPerSecond:F1}/s, grain/engine = {throughput.Ratio:F2} (goal >= 0.90)"));
                if (settings.ScaleCandidates > 0)
                {
                    var (scaleFigures, materialFigures) = await benchmark.MeasureScaleAsync(ct);
                    await output.WriteLineAsync(Invariant(
                        $"large campaign: {scaleFigures.Candidates} candidates in {scaleFigures.Elapsed.TotalSeconds:F1} s ({scaleFigures.Candidates / scaleFigures.Elapsed.TotalSeconds:F1}/s)"));
                    await output.WriteLineAsync("  activations after it: " + string.Join(", ",
                        scaleFigures.Activations.OrderBy(a => a.Key).Select(a => $"{a.Key} {a.Value}")));
                    await output.WriteLineAsync(Invariant(
                        $"  managed heap {scaleFigures.ManagedBytesBefore / 1e6:F1} MB before, {scaleFigures.ManagedBytesAfter / 1e6:F1} MB after; process working set {scaleFigures.WorkingSetAfter / 1e6:F0} MB"));
                    await output.WriteLineAsync(Invariant(
                        $"material grains: {materialFigures.Activations} activations, {materialFigures.BytesPerActivation:F0} managed bytes per activation"));
                }
                return 0;
            }
            finally
            {
                if (temporary is not null)
                    Directory.Delete(temporary, recursive: true);
            }
        });
        return command;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}

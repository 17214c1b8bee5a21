using System.CommandLine;
using System.Diagnostics;
using DarwinGrid.Silo.Benchmarks;

namespace DarwinGrid.Silo.Cli;

/// <summary>
/// <c>darwin bench all</c>: the engine, training and grain-path benchmarks one after another with
/// their defaults, printed as they run and written with a description of the machine (cores, CPU,
/// memory, load average at the start and end, date) into the generated section of docs/benchmarks.md.
/// </summary>
public static class BenchAllCommand
{
    private sealed record Benchmark(string Title, Func<Command> Create, string[] Arguments, string[] QuickArguments, bool TakesModel = true);

    private static readonly IReadOnlyList<Benchmark> Benchmarks =
    [
        new("Engine", BenchEngineCommand.Create, ["engine"], ["engine", "--n", "16", "--naive-n", "4", "--seqmax", "8", "--repeats", "1"]),
        new("Training", BenchTrainCommand.Create, ["train"], ["train", "--preset", "tiny", "--steps", "3"], TakesModel: false),
        new("Grain path", BenchScreenCommand.Create, ["screen"], ["screen", "--n", "16", "--repeats", "1", "--scale-n", "0", "--materials", "0"]),
    ];

    public static Command Create()
    {
        var doc = new Option<string>("--doc") { Description = "The Markdown file whose generated section is replaced (appended when it has none).", DefaultValueFactory = _ => Path.Combine("docs", "benchmarks.md") };
        var model = new Option<FileInfo?>("--model") { Description = "Model GGUF for the engine and grain-path benchmarks (default: their random 128x4 model)." };
        var quick = new Option<bool>("--quick") { Description = "Tiny configurations (seconds): a smoke test of the benchmarks, marked as such in the document; not a measurement." };
        var dataDir = CommonOptions.DataDir();
        var command = new Command("all", "Run the engine, training and grain-path benchmarks with their defaults (one at a time) and write them with the machine's description into the generated section of docs/benchmarks.md. Run it on a quiet machine.");
        foreach (var option in new Option[] { doc, model, quick, dataDir }) command.Options.Add(option);
        command.SetAction((ParseResult r, CancellationToken ct) =>
            RunAsync(Path.GetFullPath(r.GetValue(doc)!), r.GetValue(model)?.FullName, r.GetValue(quick), r.GetValue(dataDir),
                r.InvocationConfiguration.Output, r.InvocationConfiguration.Error, ct));
        return command;
    }

    private static async Task<int> RunAsync(string docPath, string? model, bool quick, string? dataDir, TextWriter output, TextWriter error, CancellationToken ct)
    {
        if (!Directory.Exists(Path.GetDirectoryName(docPath)))
        {
            error.WriteLine($"darwin bench all: the folder of '{docPath}' does not exist; run from the repository root or give --doc.");
            return 2;
        }
        if (model is not null && !File.Exists(model))
        {
            error.WriteLine($"darwin bench all: there is no model file '{model}'.");
            return 2;
        }
        var machine = MachineDescription.Capture();
        output.WriteLine($"bench all{(quick ? " (quick)" : "")}: {machine}; load average {machine.LoadAverage}");
        var parts = new List<BenchmarkDocument.Part>();
        foreach (var benchmark in Benchmarks)
        {
            string[] arguments = [.. (quick ? benchmark.QuickArguments : benchmark.Arguments)[1..],
                .. model is not null && benchmark.TakesModel ? ["--model", model] : Array.Empty<string>(),
                .. dataDir is not null ? ["--data-dir", dataDir] : Array.Empty<string>()];
            var shown = $"darwin bench {benchmark.Arguments[0]} {string.Join(" ", arguments)}".TrimEnd();
            output.WriteLine();
            output.WriteLine($"== {benchmark.Title}: {shown}");
            var capture = new StringWriter();
            var tee = new TeeWriter(output, capture);
            var clock = Stopwatch.StartNew();
            int exit;
            try
            {
                exit = await benchmark.Create().Parse(arguments).InvokeAsync(new InvocationConfiguration { Output = tee, Error = new TeeWriter(error, capture) }, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One failing benchmark must not cost the others' figures; the document says it failed.
                tee.WriteLine($"failed: {e.GetType().Name}: {e.Message}");
                exit = 1;
            }
            parts.Add(new BenchmarkDocument.Part(benchmark.Title, shown, capture.ToString(), clock.Elapsed, exit));
        }
        var loadAtEnd = MachineDescription.CurrentLoadAverage();
        output.WriteLine();
        output.WriteLine($"load average at the end: {loadAtEnd}");

        var section = BenchmarkDocument.Section(machine, loadAtEnd, parts, quick);
        var existing = File.Exists(docPath) ? await File.ReadAllTextAsync(docPath, ct) : "# Benchmarks\n";
        string updated;
        try
        {
            updated = BenchmarkDocument.Splice(existing, section);
        }
        catch (InvalidDataException e)
        {
            error.WriteLine($"darwin bench all: {docPath}: {e.Message}");
            return 1;
        }
        var temporary = docPath + ".tmp";
        await File.WriteAllTextAsync(temporary, updated, ct);
        File.Move(temporary, docPath, overwrite: true);
        output.WriteLine($"Wrote the generated section of {docPath}");
        return parts.All(p => p.ExitCode == 0) ? 0 : 1;
    }
}

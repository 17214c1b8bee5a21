using System.CommandLine;
using DarwinGrid.Training.Gguf;
using DarwinGrid.Training.Quantization;

namespace DarwinGrid.Silo.Cli;

/// <summary><c>darwin model quantize --type Q8_0|Q4_K_M|F16 --in A.gguf --out B.gguf</c>: llama.cpp's quantizer.</summary>
public static class ModelQuantizeCommand
{
    public static Command Create()
    {
        var type = new Option<string>("--type") { Description = $"The type of the weight matrices: {GgufQuantizer.Names}.", Required = true };
        var input = new Option<string>("--in") { Description = "The model GGUF to quantize.", Required = true };
        var output = new Option<string>("--out") { Description = "The quantized GGUF to write.", Required = true };
        var threads = new Option<int>("--threads") { Description = "Threads for the quantizer (0: all cores).", DefaultValueFactory = _ => 0 };
        var command = new Command("quantize", "Quantize a model with llama.cpp's quantizer (Q4_K_M needs rows divisible by 256: --embd and --ffn multiples of 256).");
        foreach (var option in new Option[] { type, input, output, threads }) command.Options.Add(option);
        command.SetReportedAction(parse =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var quantization = GgufQuantizer.Parse(parse.GetValue(type)!);
            var inPath = Path.GetFullPath(parse.GetValue(input)!);
            var outPath = Path.GetFullPath(parse.GetValue(output)!);
            if (parse.GetValue(threads) < 0) throw new ArgumentException($"--threads must be 0 or more (got {parse.GetValue(threads)}).");
            GgufQuantizer.Quantize(inPath, outPath, quantization, parse.GetValue(threads));
            stdout.WriteLine($"Wrote {outPath}");
            stdout.WriteLine($"  {quantization}: {new FileInfo(inPath).Length:N0} -> {new FileInfo(outPath).Length:N0} bytes");
            return 0;
        });
        return command;
    }
}

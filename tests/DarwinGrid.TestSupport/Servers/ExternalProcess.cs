using System.Diagnostics;

namespace DarwinGrid.TestSupport.Servers;

/// <summary>Runs a command to completion, or starts one in the background, as root or (for PostgreSQL) as another user.</summary>
public static class ExternalProcess
{
    public static bool IsRoot => Environment.UserName == "root";

    /// <summary>Runs the command and returns its output; a non-zero exit throws with the command and everything it printed.</summary>
    public static async Task<string> RunAsync(string file, IEnumerable<string> arguments, string? asUser = null, TimeSpan? timeout = null)
    {
        using var process = new Process { StartInfo = Info(file, arguments, asUser) };
        process.Start();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{Describe(process.StartInfo)}' did not finish within {(timeout ?? TimeSpan.FromSeconds(60)).TotalSeconds:F0} s.");
        }
        var text = await output + await error;
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"'{Describe(process.StartInfo)}' exited with {process.ExitCode}: {text}");
        return text;
    }

    /// <summary>Starts the command with its output going to <paramref name="logFile"/>.</summary>
    public static Process Start(string file, IEnumerable<string> arguments, string logFile, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = Info(file, arguments, asUser: null);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            info.Environment[name] = value;
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var log = new StreamWriter(logFile, append: true) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.Exited += (_, _) => { lock (log) log.Dispose(); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Finds an executable on PATH.</summary>
    public static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);

    private static ProcessStartInfo Info(string file, IEnumerable<string> arguments, string? asUser)
    {
        var info = new ProcessStartInfo
        {
            FileName = asUser is null ? file : "runuser",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asUser is not null)
        {
            foreach (var part in (string[])["-u", asUser, "--", file])
                info.ArgumentList.Add(part);
        }
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        return info;
    }

    private static string Describe(ProcessStartInfo info) => $"{info.FileName} {string.Join(' ', info.ArgumentList)}";
}

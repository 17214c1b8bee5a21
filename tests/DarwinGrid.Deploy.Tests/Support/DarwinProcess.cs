using System.Diagnostics;
using System.Text;

namespace DarwinGrid.Deploy.Tests.Support;

/// <summary>
/// The darwin binary next to the tests (<c>dotnet darwin.dll ...</c>) in its own process, with
/// exactly the DarwinGrid environment given: inherited DarwinGrid and DARWINGRID_ variables are
/// removed so nothing but the deployment's settings reaches it.
/// </summary>
internal sealed class DarwinProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _readyLine;

    private DarwinProcess(Process process, string readyLine)
    {
        _process = process;
        _readyLine = readyLine;
    }

    public string Output { get { lock (_output) return _output.ToString(); } }

    public string Error { get { lock (_error) return _error.ToString(); } }

    public static DarwinProcess Start(IReadOnlyDictionary<string, string> environment, string workingDirectory, string readyLine, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "darwin.dll"));
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var inherited in start.Environment.Keys.Where(k => k.StartsWith("DarwinGrid", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(inherited);
        foreach (var (name, value) in environment)
            start.Environment[name] = value;

        var darwin = new DarwinProcess(new Process { StartInfo = start }, readyLine);
        darwin._process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
                return;
            lock (darwin._output)
                darwin._output.AppendLine(e.Data);
            if (e.Data.Contains(darwin._readyLine, StringComparison.Ordinal))
                darwin._ready.TrySetResult();
        };
        darwin._process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
                lock (darwin._error)
                    darwin._error.AppendLine(e.Data);
        };
        darwin._process.Start();
        darwin._process.BeginOutputReadLine();
        darwin._process.BeginErrorReadLine();
        return darwin;
    }

    /// <summary>Waits for the ready line; fails with the process's output if it exits or the time runs out first.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        var exited = _process.WaitForExitAsync();
        var first = await Task.WhenAny(_ready.Task, exited, Task.Delay(timeout));
        if (first != _ready.Task)
            throw new InvalidOperationException($"darwin {(first == exited ? $"exited with {_process.ExitCode}" : $"printed no '{_readyLine}' in {timeout.TotalSeconds} s")}.\n{Output}\n{Error}");
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new InvalidOperationException($"darwin did not exit within {timeout.TotalSeconds} s.\n{Output}\n{Error}");
        }
        return _process.ExitCode;
    }

    /// <summary>What docker stop and Kubernetes send first.</summary>
    public void SendSigterm()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}

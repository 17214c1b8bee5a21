using System.Diagnostics;
using DarwinGrid.TestSupport.Servers;

namespace DarwinGrid.Cli.Tests.Cluster;

/// <summary>One <c>darwin serve</c> process of a test cluster, configured through its environment; killed with SIGKILL.</summary>
public sealed class SiloProcess : IDisposable
{
    private readonly Process _process;

    private SiloProcess(string name, int gatewayPort, Process process, string logFile)
    {
        Name = name;
        GatewayPort = gatewayPort;
        _process = process;
        LogFile = logFile;
    }

    public string Name { get; }

    public int GatewayPort { get; }

    public string LogFile { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The built <c>darwin.dll</c> of src/Silo in the test's own configuration (the test project builds it).</summary>
    public static string DarwinDll
    {
        get
        {
            var bin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var configuration = bin.Parent!.Name; // .../bin/<Configuration>/net10.0
            var root = bin;
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "DarwinGrid.sln")))
                root = root.Parent;
            var dll = root is null ? null : Path.Combine(root.FullName, "src", "Silo", "bin", configuration, bin.Name, "darwin.dll");
            return dll is not null && File.Exists(dll) ? dll : throw new FileNotFoundException($"darwin.dll not found at {dll}; build src/Silo.");
        }
    }

    /// <summary>Starts the silo and waits until it says it runs (the gateway listens before the silo has joined, so the port proves nothing).</summary>
    public static async Task<SiloProcess> StartAsync(string name, int siloPort, int gatewayPort, IReadOnlyDictionary<string, string> environment,
        string logDirectory, TimeSpan timeout, IEnumerable<string>? arguments = null)
    {
        var logFile = Path.Combine(logDirectory, $"{name}.log");
        var env = new Dictionary<string, string>(environment)
        {
            ["DarwinGrid__SiloName"] = name,
            ["DarwinGrid__SiloPort"] = siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DarwinGrid__GatewayPort"] = gatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var process = ExternalProcess.Start("dotnet", [DarwinDll, "serve", .. arguments ?? []], logFile, env);
        var silo = new SiloProcess(name, gatewayPort, process, logFile);
        var watch = Stopwatch.StartNew();
        var ready = $"DarwinGrid silo '{name}' running";
        while (!silo.Log().Contains(ready, StringComparison.Ordinal))
        {
            if (process.HasExited || watch.Elapsed > timeout)
            {
                var log = silo.Log();
                var exited = process.HasExited ? $"exited with {process.ExitCode}" : $"did not start within {timeout.TotalSeconds:F0} s";
                silo.Dispose();
                throw new InvalidOperationException($"Silo {name} {exited}: {log}");
            }
            await Task.Delay(100);
        }
        return silo;
    }

    /// <summary>A crash: SIGKILL, no shutdown of any kind.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }
    }

    /// <summary>Waits for the process to exit by itself and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        return _process.ExitCode;
    }

    public string Log()
    {
        try
        {
            using var stream = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return new StreamReader(stream).ReadToEnd();
        }
        catch (IOException)
        {
            return "";
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}

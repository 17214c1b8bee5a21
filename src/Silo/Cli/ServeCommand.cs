using System.CommandLine;
using DarwinGrid.Silo.Hosting;
using Microsoft.Extensions.Hosting;

namespace DarwinGrid.Silo.Cli;

/// <summary><c>darwin serve</c>: runs a silo until Ctrl-C; other verbs join it with <c>--cluster</c>.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string?>("--urls") { Description = "Serve the dashboard from this silo at these URLs (e.g. http://127.0.0.1:5080)." };
        var home = GridOptions.Home();
        var dataDir = CommonOptions.DataDir();
        var command = new Command("serve", "Run a DarwinGrid silo (localhost clustering, SQLite state and results) until Ctrl-C.");
        command.Options.Add(urls);
        command.Options.Add(home);
        command.Options.Add(dataDir);
        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var overrides = new Dictionary<string, string?>(GridOptions.Overrides(r, home, dataDir));
            if (r.GetValue(urls) is { Length: > 0 } address)
                overrides["DarwinGrid:Urls"] = address;
            var settings = DarwinHost.ReadSettings(overrides);
            var output = r.InvocationConfiguration.Output;
            if (DarwinHost.IsListening(settings.GatewayPort))
            {
                r.InvocationConfiguration.Error.WriteLine($"Port {settings.GatewayPort} is taken: a silo already runs here.");
                return 1;
            }
            using var host = DarwinHost.CreateSilo(overrides);
            await host.StartAsync(ct);
            await output.WriteLineAsync($"DarwinGrid silo '{settings.ResolvedSiloName}' running: silo port {settings.SiloPort}, gateway {settings.GatewayPort}");
            await output.WriteLineAsync($"  database {settings.ResolvedDatabasePath}");
            await output.WriteLineAsync($"  models   {settings.ResolvedModelStore}{(File.Exists(settings.DarwinMiniPath) ? " (darwin-mini is the default)" : "")}");
            await output.WriteLineAsync($"  devices  {string.Join(", ", settings.ResolvedDevices)}");
            if (settings.Urls is not null)
                await output.WriteLineAsync($"  dashboard {settings.Urls}");
            await output.WriteLineAsync("Ctrl-C stops it; unfinished campaigns resume at the next start.");
            try
            {
                using var signals = new ShutdownSignals(ct);
                await Task.Delay(Timeout.Infinite, signals.Token);
            }
            catch (OperationCanceledException)
            {
            }
            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await host.StopAsync(stopping.Token);
            return 0;
        });
        return command;
    }
}

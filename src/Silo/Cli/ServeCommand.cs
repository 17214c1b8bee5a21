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
        var command = new Command("serve",
            "Run a DarwinGrid silo until Ctrl-C: on its own (SQLite) or, with DarwinGrid:Cluster:Mode=Redis and DarwinGrid:Storage:Provider=PostgreSql, as one silo of a cluster.");
        command.Options.Add(urls);
        command.Options.Add(home);
        command.Options.Add(dataDir);
        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var overrides = new Dictionary<string, string?>(GridOptions.Overrides(r, home, dataDir));
            if (r.GetValue(urls) is { Length: > 0 } address)
                overrides["DarwinGrid:Urls"] = address;
            DarwinGridSettings settings;
            IHost host;
            try
            {
                settings = DarwinHost.ReadSettings(overrides);
                host = DarwinHost.CreateSilo(overrides);
            }
            catch (ArgumentException e)
            {
                // A bad setting (a port that is not a number, an unknown provider): the message names its key.
                r.InvocationConfiguration.Error.WriteLine(e.Message);
                return 2;
            }
            using var started = host;
            var output = r.InvocationConfiguration.Output;
            if (DarwinHost.IsListening(settings.GatewayPort))
            {
                r.InvocationConfiguration.Error.WriteLine($"Port {settings.GatewayPort} is taken: a silo already runs here.");
                return 1;
            }
            try
            {
                // A Redis or PostgreSQL server that cannot be reached fails the start within seconds.
                await host.StartAsync(ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                r.InvocationConfiguration.Error.WriteLine($"The silo could not start: {StartFailure.Describe(e, settings)}");
                return 1;
            }
            await output.WriteLineAsync($"DarwinGrid silo '{settings.ResolvedSiloName}' running: silo port {settings.SiloPort}, gateway {settings.GatewayPort}");
            await output.WriteLineAsync(settings.Cluster.Mode == ClusterMode.Redis
                ? $"  cluster  '{settings.Cluster.ClusterId}' through Redis {settings.Cluster.Redis}"
                : "  cluster  localhost (this silo only)");
            await output.WriteLineAsync(settings.Cluster.Tls.Enabled
                ? $"  tls      mutual, CA {settings.Cluster.Tls.CertificateAuthority}"
                : "  tls      off (listening on loopback only)");
            await output.WriteLineAsync(settings.Storage.Provider == StorageProvider.PostgreSql
                ? $"  database PostgreSQL {new Grains.Storage.PostgreSqlResultStoreOptions { ConnectionString = settings.Storage.PostgreSql }.Describe()}"
                : $"  database {settings.ResolvedDatabasePath}");
            await output.WriteLineAsync($"  models   {settings.ResolvedModelStore}{(File.Exists(settings.DarwinMiniPath) ? " (darwin-mini is the default)" : "")}");
            var profile = Grains.Placement.SiloProfile.Resolve(settings.Silo.Role, settings.Devices);
            await output.WriteLineAsync($"  role     {profile.Role.ToString().ToLowerInvariant()}, devices {string.Join(", ", profile.Devices)}");
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

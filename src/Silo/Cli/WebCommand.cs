using System.CommandLine;
using DarwinGrid.Silo.Hosting;
using DarwinGrid.Web.Security;
using Microsoft.AspNetCore.Builder;

namespace DarwinGrid.Silo.Cli;

/// <summary>
/// <c>darwin web</c>: the dashboard and REST API as a client of a running silo (<c>darwin serve</c>);
/// <c>darwin web hash-password</c> and <c>darwin web new-key</c> make the hashes its configuration holds.
/// </summary>
public static class WebCommand
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls") { Description = "Where to listen, e.g. http://127.0.0.1:5080.", Required = true };
        var gatewayPort = new Option<int?>("--gateway-port") { Description = "The silo's gateway port on localhost (default: DarwinGrid:GatewayPort, 30000)." };
        var home = GridOptions.Home();
        var command = new Command("web", "Serve the dashboard and REST API as a client of a running silo ('darwin serve').");
        command.Options.Add(urls);
        command.Options.Add(gatewayPort);
        command.Options.Add(home);
        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var overrides = new Dictionary<string, string?>(GridOptions.Overrides(r, home)) { ["DarwinGrid:Urls"] = r.GetValue(urls) };
            if (r.GetValue(gatewayPort) is { } port)
                overrides["DarwinGrid:GatewayPort"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var settings = DarwinHost.ReadSettings(overrides);
            var output = r.InvocationConfiguration.Output;
            var error = r.InvocationConfiguration.Error;
            WebApplication created;
            try
            {
                created = DarwinHost.CreateWebClient(overrides);
            }
            catch (ArgumentException e)
            {
                error.WriteLine(e.Message);
                return 2;
            }
            await using var app = created;
            try
            {
                await app.StartAsync(ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                error.WriteLine($"The dashboard could not start: no silo answers on localhost:{settings.GatewayPort}, or {settings.Urls} is taken ({e.Message}).");
                return 1;
            }
            await output.WriteLineAsync($"DarwinGrid dashboard at {string.Join(", ", app.Urls)} (client of the silo gateway on localhost:{settings.GatewayPort})");
            await output.WriteLineAsync("Ctrl-C stops it.");
            try
            {
                using var signals = new ShutdownSignals(ct);
                await Task.Delay(Timeout.Infinite, signals.Token);
            }
            catch (OperationCanceledException)
            {
            }
            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await app.StopAsync(stopping.Token);
            return 0;
        });
        command.Subcommands.Add(HashPassword());
        command.Subcommands.Add(NewKey());
        return command;
    }

    private static Command HashPassword()
    {
        var command = new Command("hash-password",
            "Read a password from the first line of standard input and print its hash for DarwinGrid:Web:Users:N:PasswordHash.");
        command.SetAction(r =>
        {
            var password = Console.In.ReadLine();
            if (string.IsNullOrEmpty(password))
            {
                r.InvocationConfiguration.Error.WriteLine("No password on standard input (e.g. read -rs P && echo \"$P\" | darwin web hash-password).");
                return 2;
            }
            r.InvocationConfiguration.Output.WriteLine(PasswordHashing.Hash(password));
            return 0;
        });
        return command;
    }

    private static Command NewKey()
    {
        var name = new Option<string>("--name") { Description = "The key's name (who uses it).", DefaultValueFactory = _ => "service" };
        var role = new Option<string>("--role") { Description = "viewer or operator (or admin).", DefaultValueFactory = _ => DashboardRoles.Viewer };
        var command = new Command("new-key", "Make a random API key; prints the key (give it to the client) and the configuration that accepts it (a hash).");
        command.Options.Add(name);
        command.Options.Add(role);
        command.SetAction(r =>
        {
            string parsedRole;
            try
            {
                parsedRole = DashboardRoles.Parse(r.GetValue(role), "--role");
            }
            catch (InvalidOperationException e)
            {
                r.InvocationConfiguration.Error.WriteLine(e.Message);
                return 2;
            }
            var key = ApiKeyStore.NewKey();
            var output = r.InvocationConfiguration.Output;
            output.WriteLine($"key: {key}");
            output.WriteLine("configuration (appsettings.json, or DarwinGrid__Web__ApiKeys__N__... in the environment):");
            output.WriteLine($"  {{ \"Name\": \"{r.GetValue(name)}\", \"Role\": \"{parsedRole}\", \"KeyHash\": \"{ApiKeyStore.HashHex(key)}\" }}");
            return 0;
        });
        return command;
    }
}

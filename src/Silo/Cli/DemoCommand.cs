using System.CommandLine;
using DarwinGrid.Grains.Campaigns;
using DarwinGrid.Silo.Hosting;
using DarwinGrid.Training.Runs;

namespace DarwinGrid.Silo.Cli;

/// <summary>
/// <c>darwin demo</c>, the README's main job: trains darwin-mini if it is not cached yet, starts a
/// single-node silo (SQLite), screens a generated campaign of chalcogenide and oxide perovskites for
/// a solar-absorber band-gap window among non-metals, prints the ranking and keeps serving.
/// </summary>
public static class DemoCommand
{
    /// <summary>ABX3 perovskite-type compositions, charge-neutral by common oxidation states (~1,900 candidates).</summary>
    public const string CandidateSpec = "{A}{B}{X}3; A=alkali,alkaline-earth,lanthanides; B=transition-metals,tetrels,triels; X=O,S,Se,Te; neutral";

    public static readonly string[] Filters = ["band_gap between 1.1 and 1.8", "is_metal = false"];

    /// <summary>
    /// Ranked by the probability of passing both filters, read from the model's band-gap distribution and its
    /// calibrated non-metal probability: darwin-mini's median gap is pulled towards 0 by the metals' mass, so
    /// few medians fall in the window, while the probability of landing in it still orders the candidates.
    /// </summary>
    public const RankingMode Ranking = RankingMode.ProbabilityOfSuccess;

    public static Command Create()
    {
        var home = GridOptions.Home();
        var dataDir = CommonOptions.DataDir();
        var top = new Option<int>("--top") { Description = "How many of the best candidates to print.", DefaultValueFactory = _ => 20 };
        var exit = new Option<bool>("--exit") { Description = "Stop after printing the ranking instead of serving until Ctrl-C." };
        var threads = new Option<int>("--threads") { Description = "CPU threads for training darwin-mini if it is missing (0 = probe).", DefaultValueFactory = _ => 0 };
        var urls = new Option<string>("--urls") { Description = "Where the dashboard listens ('none' for no dashboard).", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var command = new Command("demo",
            "The main job on embedded defaults: train darwin-mini if none is cached, start a single-node silo with SQLite and the dashboard, " +
            "screen a generated campaign (ABX3 candidates, band gap 1.1-1.8 eV, not metals) and print the ranking; keeps serving until Ctrl-C.");
        foreach (var option in new Option[] { home, dataDir, top, exit, threads, urls }) command.Options.Add(option);
        command.SetReportedAction(async (r, ct) =>
        {
            var output = r.InvocationConfiguration.Output;
            var error = r.InvocationConfiguration.Error;
            var overrides = new Dictionary<string, string?>(GridOptions.Overrides(r, home, dataDir));
            var dashboard = r.GetValue(urls) is { Length: > 0 } address && !address.Equals("none", StringComparison.OrdinalIgnoreCase) ? address : null;
            if (dashboard is not null)
            {
                if (Uri.TryCreate(dashboard.Split(';')[0], UriKind.Absolute, out var uri) && DarwinHost.IsListening(uri.Port))
                {
                    r.InvocationConfiguration.Error.WriteLine($"darwin demo: port {uri.Port} is taken; choose another with --urls http://127.0.0.1:PORT (or --urls none).");
                    return 1;
                }
                overrides["DarwinGrid:Urls"] = dashboard;
            }
            var settings = DarwinHost.ReadSettings(overrides);
            await output.WriteLineAsync($"DarwinGrid demo (home {settings.ResolvedHome})");
            var bar = new ConsoleProgressBar(output, TimeSpan.FromSeconds(1), redrawInPlace: !Console.IsOutputRedirected && ReferenceEquals(output, Console.Out));
            if (!DarwinMiniModel.IsCached(settings.ResolvedHome))
                await output.WriteLineAsync("darwin-mini is not cached yet (or was trained with an older recipe): training it from scratch on this machine's CPU, once " +
                                            "(about 5 minutes on 2 idle cores with AVX-512, about 10 with AVX2 only, from the measured 14.6k and 7.6k training tokens/s; a busy machine stops it at the recipe's 17-minute limit).");
            var model = await CalibratedDarwinMini.EnsureAsync(settings.ResolvedHome, settings.DataDir, bar, new WriterLogger(output, bar.EndLine), output, ct,
                threads: r.GetValue(threads));
            bar.EndLine();
            await output.WriteLineAsync($"model: {model}");

            var (definition, listed) = ScreenCommand.BuildDefinition("band_gap,is_metal", null, "composition", CandidateSpec,
                Filters, [], Ranking, model: null, name: "demo: ABX3 solar absorbers");
            await output.WriteLineAsync($"candidates: {CandidateSpec}");
            await output.WriteLineAsync($"filters: {string.Join("; ", Filters)}; ranking: by the probability of passing both (P(success))");

            await using var grid = await GridConnection.OpenAsync(cluster: false, overrides, ct);
            if (dashboard is not null)
                await output.WriteLineAsync($"dashboard: {dashboard.Split(';')[0]} (watch the campaign there; sign in as admin)");
            var code = await ScreenCommand.RunCampaignAsync(grid, definition, listed, r.GetValue(top), quiet: false, output, error, ct);
            if (code != 0 || r.GetValue(exit)) return code;

            await output.WriteLineAsync($"The silo keeps serving (database {settings.ResolvedDatabasePath})" +
                (dashboard is null ? "" : $"; the dashboard is at {dashboard.Split(';')[0]} (sign in as admin)") + ". Ctrl-C stops.");
            try
            {
                using var signals = new ShutdownSignals(ct);
                await Task.Delay(Timeout.Infinite, signals.Token);
            }
            catch (OperationCanceledException)
            {
            }
            return 0;
        });
        return command;
    }
}

using DarwinGrid.Web.Components;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace DarwinGrid.Web.Hosting;

/// <summary>
/// Adds the dashboard to a web host that already has an Orleans silo or client (the pages use only
/// <see cref="Orleans.IGrainFactory"/>), so the same code runs co-hosted and as a cluster client.
/// </summary>
public static class DarwinGridWebExtensions
{
    public static WebApplicationBuilder AddDarwinGridWeb(this WebApplicationBuilder builder)
    {
        // Static web assets (MudBlazor's CSS/JS, ours) are resolved from the build's manifest in every
        // environment, not only Development, so `darwin serve` from a build output looks right.
        builder.WebHost.UseStaticWebAssets();
        builder.Services.AddOptions<DarwinGridWebOptions>().BindConfiguration(DarwinGridWebOptions.SectionName);
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        return builder;
    }

    public static WebApplication MapDarwinGridWeb(this WebApplication app)
    {
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}

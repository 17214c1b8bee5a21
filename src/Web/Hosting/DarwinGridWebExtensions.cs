using DarwinGrid.Web.Campaigns;
using DarwinGrid.Web.Cluster;
using DarwinGrid.Web.Components;
using DarwinGrid.Web.Models;
using DarwinGrid.Web.Overview;
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
        builder.Services.AddDarwinGridViewModels();
        return builder;
    }

    /// <summary>The pages' view models (each page gets its own) and the generator previewer.</summary>
    public static IServiceCollection AddDarwinGridViewModels(this IServiceCollection services)
    {
        services.AddSingleton<GeneratorPreviewer>();
        services.AddTransient<CampaignListModel>();
        services.AddTransient<CampaignDetailModel>();
        services.AddTransient<NewCampaignModel>();
        services.AddTransient<ModelsModel>();
        services.AddTransient<ClusterModel>();
        services.AddTransient<OverviewModel>();
        return services;
    }

    public static WebApplication MapDarwinGridWeb(this WebApplication app)
    {
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapCampaignExport();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}

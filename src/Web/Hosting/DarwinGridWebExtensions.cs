using System.Text.Json.Serialization;
using DarwinGrid.Web.Api;
using DarwinGrid.Web.Campaigns;
using DarwinGrid.Web.Cluster;
using DarwinGrid.Web.Loop;
using DarwinGrid.Web.Components;
using DarwinGrid.Web.Models;
using DarwinGrid.Web.Overview;
using DarwinGrid.Web.Security;
using DarwinGrid.Web.Training;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using Orleans.Dashboard;

namespace DarwinGrid.Web.Hosting;

/// <summary>
/// Adds the dashboard, its sign-in and the REST API to a web host that already has an Orleans silo or
/// client (pages and endpoints use only <see cref="Orleans.IGrainFactory"/>), so the same code runs
/// co-hosted and as a cluster client.
/// </summary>
public static class DarwinGridWebExtensions
{
    public const string OrleansDashboardPath = "/orleans";

    /// <param name="defaults">Defaults the configuration section can override (the host sets <see cref="DarwinGridWebOptions.StateDirectory"/>).</param>
    public static WebApplicationBuilder AddDarwinGridWeb(this WebApplicationBuilder builder, Action<DarwinGridWebOptions>? defaults = null)
    {
        // Static web assets (MudBlazor's CSS/JS, ours) are resolved from the build's manifest in every
        // environment, not only Development, so `darwin serve` from a build output looks right.
        builder.WebHost.UseStaticWebAssets();
        builder.Services.AddOptions<DarwinGridWebOptions>().Configure(o => defaults?.Invoke(o)).BindConfiguration(DarwinGridWebOptions.SectionName);
        builder.Services.AddDashboardAuthentication();
        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.Services.AddOpenApi(DarwinGridApi.DocumentName, o =>
        {
            o.ShouldInclude = description => description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true;
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "DarwinGrid API";
                document.Info.Description = "Campaigns and predictions. Authenticate with the X-Api-Key header (or the dashboard's sign-in cookie).";
                return Task.CompletedTask;
            });
        });
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
        services.AddTransient<LoopModel>();
        services.AddTransient<NewCampaignModel>();
        services.AddTransient<ModelsModel>();
        services.AddTransient<ClusterModel>();
        services.AddTransient<OverviewModel>();
        services.AddTransient<TrainingModel>();
        return services;
    }

    public static WebApplication MapDarwinGridWeb(this WebApplication app)
    {
        var web = app.Services.GetRequiredService<IOptions<DarwinGridWebOptions>>().Value;
        // First: everything after it (throttle keys, Secure cookies, HSTS, the origin check) sees the client as the proxy saw it.
        if (ForwardedHeadersSetup.Options(web) is { } forwarded)
            app.UseForwardedHeaders(forwarded);
        app.UseSecurityHeaders();
        // A request Kestrel refuses to read (too large, malformed) is the client's error: its 4xx, not a 500.
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = e => e is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
        });
        app.UseSameOriginCheck();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapAccountEndpoints();
        app.MapDarwinGridApi();
        if (web.OrleansDashboard)
            app.MapOrleansDashboard(OrleansDashboardPath).RequireAuthorization(DashboardPolicies.Operator);
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}

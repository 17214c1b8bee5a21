using Bunit;
using DarwinGrid.TestSupport;
using DarwinGrid.Web.Hosting;
using DarwinGrid.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace DarwinGrid.Web.UiTests.Support;

/// <summary>A bUnit context with the dashboard's services wired to the test silo, rendering as an interactive server circuit.</summary>
public static class Dashboard
{
    /// <param name="operatorRole">False: a viewer, who sees everything but none of the actions that change things.</param>
    public static BunitContext Create(SiloFixture silo, bool operatorRole = true)
    {
        var context = new BunitContext();
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        context.Services.AddLogging();
        context.Services.AddMudServices();
        context.Services.AddSingleton<IGrainFactory>(silo.Client);
        context.Services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["DarwinGrid:DataDir"] = SharedData.Root }).Build());
        context.Services.AddDarwinGridViewModels();
        // An operator by default: the pages show their operator-only actions (create, pause/resume/cancel, set default).
        var authorization = context.AddAuthorization();
        authorization.SetAuthorized("operator-in-test");
        authorization.SetPolicies(operatorRole ? [DashboardPolicies.Viewer, DashboardPolicies.Operator] : [DashboardPolicies.Viewer]);
        context.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        return context;
    }

    /// <summary>Renders a page inside the MudBlazor providers it needs (popovers for selects).</summary>
    public static IRenderedComponent<MudPopoverProvider> Providers(BunitContext context) => context.Render<MudPopoverProvider>();
}

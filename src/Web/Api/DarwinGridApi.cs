using DarwinGrid.Web.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace DarwinGrid.Web.Api;

/// <summary>The REST API under <c>/api</c> for services outside .NET, described at <c>/api/openapi.json</c>.</summary>
public static class DarwinGridApi
{
    public const string Prefix = "/api";
    public const string DocumentName = "openapi";

    public static IEndpointRouteBuilder MapDarwinGridApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(Prefix).RequireAuthorization(DashboardPolicies.Viewer);
        api.MapCampaignEndpoints();
        api.MapLoopEndpoints();
        api.MapPredictEndpoints();
        app.MapOpenApi($"{Prefix}/{{documentName}}.json").RequireAuthorization(DashboardPolicies.Viewer);
        return app;
    }
}

using DarwinGrid.Grains.Campaigns;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DarwinGrid.Web.Hosting;

/// <summary>
/// <c>GET /api/campaigns/{id}/export</c>: the campaign's results as CSV, streamed line by line from
/// the grain so exports of any size work. Interim: the REST API (branch webhost) provides this route
/// with authorization; when it lands, this endpoint goes and the dashboard's link stays the same.
/// </summary>
public static class CampaignExportEndpoint
{
    public static string PathOf(string campaignId) => $"/api/campaigns/{Uri.EscapeDataString(campaignId)}/export";

    public static IEndpointRouteBuilder MapCampaignExport(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/campaigns/{id}/export", async (string id, IGrainFactory grains, HttpContext context) =>
        {
            var campaign = grains.GetGrain<ICampaignGrain>(id);
            if (await campaign.GetDefinitionAsync() is null)
                return Results.NotFound($"No campaign '{id}'.");
            context.Response.ContentType = "text/csv; charset=utf-8";
            context.Response.Headers.ContentDisposition = $"attachment; filename=\"{id}.csv\"";
            await foreach (var line in campaign.ExportCsvAsync().WithCancellation(context.RequestAborted))
            {
                await context.Response.WriteAsync(line, context.RequestAborted);
                await context.Response.WriteAsync("\n", context.RequestAborted);
            }
            return Results.Empty;
        });
        return endpoints;
    }
}

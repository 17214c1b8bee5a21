using System.Collections.Immutable;
using System.Text;
using DarwinGrid.Grains.Campaigns;
using DarwinGrid.Grains.Clients;
using DarwinGrid.Grains.Models;
using DarwinGrid.Web.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace DarwinGrid.Web.Api;

/// <summary>The campaign endpoints: every call goes to <see cref="ICampaignGrain"/> / <see cref="ICampaignDirectoryGrain"/>.</summary>
public static class CampaignEndpoints
{
    /// <summary>Compositions appended to the campaign grain per call (as the CLI does).</summary>
    private const int AppendChunk = 10_000;

    public static RouteGroupBuilder MapCampaignEndpoints(this RouteGroupBuilder api)
    {
        var campaigns = api.MapGroup("/campaigns").WithTags("Campaigns");
        campaigns.MapGet("", ListAsync).WithSummary("Every campaign with its state and progress, newest first.");
        campaigns.MapPost("", CreateAsync).RequireAuthorization(DashboardPolicies.Operator)
            .Accepts<CreateCampaignRequest>("application/json")
            .Produces<CampaignCreated>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Create a campaign (and start it with \"start\": true).");
        campaigns.MapGet("/{id}", StatusAsync).WithSummary("A campaign's state and counters.");
        campaigns.MapPost("/{id}/start", StartAsync).RequireAuthorization(DashboardPolicies.Operator).WithSummary("Start a draft campaign.");
        campaigns.MapPost("/{id}/cancel", CancelAsync).RequireAuthorization(DashboardPolicies.Operator).WithSummary("Cancel a campaign.");
        campaigns.MapGet("/{id}/results", ResultsAsync)
            .WithSummary("A page of results: page (from 1), pageSize (≤ 500), sort (score, composition, pareto or a task; '-' for descending), filter (repeatable), contains, passing.");
        campaigns.MapGet("/{id}/export", ExportAsync).Produces(StatusCodes.Status200OK, contentType: "text/csv").ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Every result as CSV, streamed.");
        return api;
    }

    private static async Task<Ok<CampaignStatus[]>> ListAsync(IGrainFactory grains)
    {
        var summaries = await grains.GetGrain<ICampaignDirectoryGrain>(ICampaignDirectoryGrain.Key).ListAsync();
        var statuses = await Task.WhenAll(summaries.OrderByDescending(s => s.CreatedAt).Select(s => grains.GetGrain<ICampaignGrain>(s.Id).GetStatusAsync()));
        return TypedResults.Ok(statuses);
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, IGrainFactory grains, TimeProvider time, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<CreateCampaignRequest>(request, cancellationToken);
        if (problem is not null)
            return problem;
        var errors = new FieldErrors();
        if (CampaignRequestValidator.Validate(body!, errors, time) is not { } validated)
            return errors.ToResult();

        if (await grains.FindCampaignAsync(validated.Id) is not null)
            return ApiProblems.Conflict($"Campaign '{validated.Id}' already exists; choose another id.");
        // A create that asks to start is refused whole (nothing stored) when no model would answer.
        if (body!.Start && await MissingModelAsync(grains, validated.Definition) is { } missing)
            return ApiProblems.Invalid("model", missing);
        var campaign = grains.GetGrain<ICampaignGrain>(validated.Id);
        CampaignStatus status;
        var rejected = ImmutableArray.CreateBuilder<RejectedCandidate>();
        try
        {
            status = await campaign.CreateAsync(validated.Definition);
            for (var start = 0; start < validated.Compositions.Length; start += AppendChunk)
                rejected.AddRange(await campaign.AppendCandidatesAsync([.. validated.Compositions.Skip(start).Take(AppendChunk)]));
            if (body.Start)
                status = await campaign.StartAsync();
            else
                status = await campaign.GetStatusAsync();
        }
        catch (ArgumentException e)
        {
            // What only the grains can judge: the model registry (no default for a task), the ranking spec.
            return ApiProblems.Invalid(e.Message.StartsWith("No model version", StringComparison.Ordinal) || e.Message.StartsWith("Model version", StringComparison.Ordinal) ? "model" : "definition", e.Message);
        }
        catch (InvalidOperationException e)
        {
            return ApiProblems.Conflict(e.Message);
        }
        return TypedResults.Created($"/api/campaigns/{Uri.EscapeDataString(validated.Id)}", new CampaignCreated(status, rejected.ToImmutable()));
    }

    private static async Task<string?> MissingModelAsync(IGrainFactory grains, CampaignDefinition definition)
    {
        var registry = grains.GetGrain<IModelRegistryGrain>(IModelRegistryGrain.Key);
        foreach (var task in definition.Tasks)
        {
            var version = definition.ModelVersion ?? await registry.GetDefaultAsync(task);
            if (version is null)
                return $"No model version for task '{task}': name one in 'model' or register a default ('darwin models add --default').";
            if (await registry.GetAsync(version) is not { } info)
                return $"Model version '{version}' is not registered.";
            if (!info.Tasks.IsDefaultOrEmpty && !info.Tasks.Contains(task))
                return $"Model version '{version}' does not answer task '{task}' (it answers {string.Join(", ", info.Tasks)}).";
        }
        return null;
    }

    private static async Task<IResult> StatusAsync(string id, IGrainFactory grains)
    {
        // Checked against the directory first: an unknown id never activates a campaign grain.
        return await grains.FindCampaignAsync(id) is not { } campaign ? ApiProblems.CampaignNotFound(id) : TypedResults.Ok(await campaign.GetStatusAsync());
    }

    private static Task<IResult> StartAsync(string id, IGrainFactory grains) => ChangeAsync(id, grains, c => c.StartAsync());

    private static Task<IResult> CancelAsync(string id, IGrainFactory grains) => ChangeAsync(id, grains, c => c.CancelAsync());

    private static async Task<IResult> ChangeAsync(string id, IGrainFactory grains, Func<ICampaignGrain, Task<CampaignStatus>> change)
    {
        if (await grains.FindCampaignAsync(id) is not { } campaign)
            return ApiProblems.CampaignNotFound(id);
        try
        {
            return TypedResults.Ok(await change(campaign));
        }
        catch (ArgumentException e)
        {
            return ApiProblems.Invalid(e.Message.Contains("model", StringComparison.OrdinalIgnoreCase) ? "model" : "candidates", e.Message);
        }
        catch (InvalidOperationException e)
        {
            return ApiProblems.Conflict(e.Message);
        }
    }

    private static async Task<IResult> ResultsAsync(string id, IGrainFactory grains,
        [FromQuery] string? page, [FromQuery] string? pageSize, [FromQuery] string? sort, [FromQuery] string[]? filter,
        [FromQuery] string? contains, [FromQuery] string? passing)
    {
        if (await grains.FindCampaignAsync(id) is not { } campaign || await campaign.GetDefinitionAsync() is not { } definition)
            return ApiProblems.CampaignNotFound(id);
        var errors = new FieldErrors();
        if (ResultsQueryParser.Parse(page, pageSize, sort, filter, contains, passing, definition, errors) is not { } query)
            return errors.ToResult();
        try
        {
            var results = await campaign.GetResultsAsync(query);
            var pages = (int)Math.Ceiling(results.TotalCount / (double)query.PageSize);
            return TypedResults.Ok(new ResultsPage(query.Page + 1, query.PageSize, results.TotalCount, pages, results.Items));
        }
        catch (ArgumentException e)
        {
            return ApiProblems.Invalid("query", e.Message);
        }
    }

    private static async Task<IResult> ExportAsync(string id, IGrainFactory grains, HttpContext context)
    {
        if (await grains.FindCampaignAsync(id) is not { } campaign)
            return ApiProblems.CampaignNotFound(id);
        var aborted = context.RequestAborted;
        // The grain streams the lines in batches from the results store; nothing holds the whole export.
        return TypedResults.Stream(async body =>
        {
            await using var writer = new StreamWriter(body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 64 * 1024, leaveOpen: true);
            await foreach (var line in campaign.ExportCsvAsync().WithCancellation(aborted))
            {
                await writer.WriteAsync(line);
                await writer.WriteAsync('\n');
            }
        }, "text/csv; charset=utf-8", $"{id}.csv");
    }
}

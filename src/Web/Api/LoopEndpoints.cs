using System.Globalization;
using DarwinGrid.Domain.Acquisition;
using DarwinGrid.Grains.Clients;
using DarwinGrid.Grains.Loop;
using DarwinGrid.Web.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DarwinGrid.Web.Api;

/// <summary>
/// A campaign's lab loop under <c>/api/campaigns/{id}/loop</c>: every call goes to <see cref="ILoopGrain"/>.
/// Reading needs a viewer; proposing, uploading, updating and rescreening an operator (as campaign changes do).
/// A refusal by the grain is a 400 (the request: rule, batch size, rows) or a 409 (the campaign's state).
/// </summary>
public static class LoopEndpoints
{
    public static RouteGroupBuilder MapLoopEndpoints(this RouteGroupBuilder api)
    {
        var loop = api.MapGroup("/campaigns/{id}/loop").WithTags("Loop");
        loop.MapGet("", OverviewAsync).WithSummary("Proposals, lab dataset versions, updates, screening rounds and the discovery curve.");
        loop.MapPost("/proposals", ProposeAsync).RequireAuthorization(DashboardPolicies.Operator)
            .Accepts<ProposeRequest>("application/json").Produces<LoopProposal>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary($"Propose the next batch: n (1-{LoopLimits.MaxBatch}), rule ({AcquisitionRules.Names}), diversity (0-{LoopLimits.MaxDiversity}), objective.");
        loop.MapGet("/proposals/{round}", ProposalAsync).WithSummary("One proposal (round from 1) with every candidate's predicted distribution.");
        loop.MapPost("/measured", MeasuredAsync).RequireAuthorization(DashboardPolicies.Operator)
            .Accepts<string>("text/csv").Produces<LabDatasetInfo>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .WithSummary($"Upload measured values as CSV (composition,task,value[,conditions,notes]; at most {LoopLimits.MaxUploadBytes:N0} bytes); every row is checked and one bad row refuses the file. ?file= names it.");
        loop.MapGet("/comparison", ComparisonAsync).WithSummary("Every measured value beside the prediction the campaign held for it (median, interval, inside).");
        loop.MapPost("/updates", UpdateAsync).RequireAuthorization(DashboardPolicies.Operator)
            .Produces<LoopUpdate>(StatusCodes.Status202Accepted).ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary($"Start a LoRA update on the lab records (plus replay) from the campaign's version: steps (1-{LoopLimits.MaxUpdateSteps}), preset.");
        loop.MapGet("/updates", UpdatesAsync).WithSummary("The updates with their training state, new version and held-out lab scores.");
        loop.MapPost("/rescreen", RescreenAsync).RequireAuthorization(DashboardPolicies.Operator)
            .Produces<Grains.Campaigns.CampaignStatus>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Switch the campaign to a version (default: the last completed update's) and screen it again.");
        return api;
    }

    private static async Task<IResult> OverviewAsync(string id, IGrainFactory grains) =>
        await CallAsync(id, grains, async loop => TypedResults.Ok(await loop.GetOverviewAsync()));

    private static async Task<IResult> ProposalAsync(string id, string round, IGrainFactory grains)
    {
        if (!int.TryParse(round, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
            return ApiProblems.Invalid("round", $"'{round}' is not a round number (1, 2, ...).");
        return await CallAsync(id, grains, async loop => await loop.GetProposalAsync(number) is { } proposal
            ? TypedResults.Ok(proposal)
            : TypedResults.Problem($"Campaign '{id}' has no proposal {number}.", statusCode: StatusCodes.Status404NotFound, title: "Not found."));
    }

    private static async Task<IResult> ProposeAsync(string id, HttpRequest request, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<ProposeRequest>(request, cancellationToken);
        if (problem is not null)
            return problem;
        var errors = new FieldErrors();
        if (body!.N is not { } n || n < 1 || n > LoopLimits.MaxBatch)
            errors.Add("n", $"Give the batch size n between 1 and {LoopLimits.MaxBatch}.");
        AcquisitionRule? rule = null;
        try
        {
            rule = AcquisitionRules.Parse(body.Rule);
        }
        catch (ArgumentException e)
        {
            errors.Add("rule", e.Message);
        }
        if (body.Diversity is { } d && !(d >= 0 && d <= LoopLimits.MaxDiversity))
            errors.Add("diversity", $"The diversity weight must be between 0 and {LoopLimits.MaxDiversity}.");
        if (errors.Any)
            return errors.ToResult();
        var proposal = new ProposalRequest(body.N!.Value, (ProposalRule)(int)rule!.Value, body.Diversity ?? ProposalRequest.DefaultDiversity,
            string.IsNullOrWhiteSpace(body.Objective) ? null : body.Objective.Trim(), Who(request.HttpContext));
        return await CallAsync(id, grains, async loop =>
        {
            var stored = await loop.ProposeAsync(proposal);
            return TypedResults.Created($"{DarwinGridApi.Prefix}/campaigns/{Uri.EscapeDataString(id)}/loop/proposals/{stored.Round}", stored);
        });
    }

    private static async Task<IResult> MeasuredAsync(string id, HttpRequest request, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (request.ContentLength > LoopLimits.MaxUploadBytes)
            return ApiProblems.BodyRefused(StatusCodes.Status413PayloadTooLarge, $"The file has {request.ContentLength:N0} bytes; at most {LoopLimits.MaxUploadBytes:N0} are accepted per upload.");
        byte[] content;
        try
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[64 * 1024];
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > LoopLimits.MaxUploadBytes)
                    return ApiProblems.BodyRefused(StatusCodes.Status413PayloadTooLarge, $"The file is larger than {LoopLimits.MaxUploadBytes:N0} bytes, the most accepted per upload.");
                buffer.Write(chunk, 0, read);
            }
            content = buffer.ToArray();
        }
        catch (BadHttpRequestException e)
        {
            return ApiProblems.BodyRefused(e.StatusCode, e.Message);
        }
        if (content.Length == 0)
            return ApiProblems.Invalid("body", "The body is empty; send the CSV file as the body (Content-Type: text/csv).");
        var fileName = request.Query["file"].ToString();
        var upload = new MeasuredUpload(content, Who(request.HttpContext), fileName.Length == 0 ? null : fileName);
        return await CallAsync(id, grains, async loop =>
        {
            var result = await loop.UploadMeasuredAsync(upload);
            if (!result.Accepted)
                return ApiProblems.Invalid(result.Problems.GroupBy(p => p.Line > 1 ? $"line {p.Line}" : "file")
                    .ToDictionary(g => g.Key, g => g.Select(p => p.Problem).ToArray()));
            return TypedResults.Created($"{DarwinGridApi.Prefix}/campaigns/{Uri.EscapeDataString(id)}/loop", result.Dataset);
        });
    }

    private static async Task<IResult> ComparisonAsync(string id, IGrainFactory grains) =>
        await CallAsync(id, grains, async loop => TypedResults.Ok(await loop.GetComparisonAsync()));

    private static async Task<IResult> UpdateAsync(string id, HttpRequest request, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var (body, problem) = await OptionalBodyAsync(request, new UpdateRequest(), cancellationToken);
        if (problem is not null)
            return problem;
        if (body!.Steps is { } steps && (steps < 1 || steps > LoopLimits.MaxUpdateSteps))
            return ApiProblems.Invalid("steps", $"The steps must be between 1 and {LoopLimits.MaxUpdateSteps}.");
        var update = new LoopUpdateRequest(body.Steps ?? LoopUpdateRequest.DefaultSteps, string.IsNullOrWhiteSpace(body.Preset) ? null : body.Preset.Trim(), Who(request.HttpContext));
        return await CallAsync(id, grains, async loop => TypedResults.Accepted($"{DarwinGridApi.Prefix}/campaigns/{Uri.EscapeDataString(id)}/loop/updates", await loop.StartUpdateAsync(update)));
    }

    private static async Task<IResult> UpdatesAsync(string id, IGrainFactory grains) =>
        await CallAsync(id, grains, async loop => TypedResults.Ok(await loop.GetUpdatesAsync()));

    private static async Task<IResult> RescreenAsync(string id, HttpRequest request, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var (body, problem) = await OptionalBodyAsync(request, new RescreenRequest(), cancellationToken);
        if (problem is not null)
            return problem;
        var model = string.IsNullOrWhiteSpace(body!.Model) ? null : body.Model.Trim();
        return await CallAsync(id, grains, async loop => TypedResults.Ok(await loop.RescreenAsync(model)));
    }

    /// <summary>A JSON body when one is sent; the defaults when the POST has none (both update and rescreen may be bare).</summary>
    private static async Task<(T? Body, IResult? Problem)> OptionalBodyAsync<T>(HttpRequest request, T defaults, CancellationToken cancellationToken) where T : class =>
        request.ContentLength is > 0 || request.HasJsonContentType() ? await JsonBody.ReadAsync<T>(request, cancellationToken) : (defaults, null);

    /// <summary>404 for an unknown campaign (checked in the directory first); the grain's refusals as 400 / 409.</summary>
    private static async Task<IResult> CallAsync(string id, IGrainFactory grains, Func<ILoopGrain, Task<IResult>> call)
    {
        if (await grains.FindCampaignAsync(id) is null)
            return ApiProblems.CampaignNotFound(id);
        try
        {
            return await call(grains.GetGrain<ILoopGrain>(id));
        }
        catch (ArgumentException e)
        {
            return ApiProblems.Invalid("request", e.Message);
        }
        catch (InvalidOperationException e)
        {
            return ApiProblems.Conflict(e.Message);
        }
    }

    /// <summary>Who asks: the signed-in user or the API key's name (provenance of proposals, uploads and updates).</summary>
    private static string Who(HttpContext context) => context.User.Identity?.Name is { Length: > 0 } name ? name : "unknown";
}

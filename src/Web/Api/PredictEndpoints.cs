using System.Collections.Immutable;
using DarwinGrid.Domain.Compositions;
using DarwinGrid.Domain.Tasks;
using DarwinGrid.Grains.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace DarwinGrid.Web.Api;

/// <summary>
/// <c>POST /api/predict</c> (a small synchronous batch through a model grain, the path campaigns take)
/// and <c>GET /api/models</c>. Neither changes anything, so viewers may call them.
/// </summary>
public static class PredictEndpoints
{
    public const int MaxCompositions = 256;
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(60);
    private static readonly InputField[] CompositionInputs = [InputField.Composition, InputField.Alloy, InputField.Formula, InputField.MaterialName];

    public static RouteGroupBuilder MapPredictEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/predict", PredictAsync).WithTags("Predict")
            .Accepts<PredictRequest>("application/json").Produces<PredictResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithSummary($"Predict one property for up to {MaxCompositions} compositions.");
        api.MapGet("/models", ModelsAsync).WithTags("Models").WithSummary("Registered model versions and the default per task.");
        return api;
    }

    private static async Task<Ok<ModelsResponse>> ModelsAsync(IGrainFactory grains)
    {
        var registry = grains.GetGrain<IModelRegistryGrain>(IModelRegistryGrain.Key);
        return TypedResults.Ok(new ModelsResponse(await registry.ListAsync(), await registry.GetDefaultsAsync()));
    }

    private static async Task<IResult> PredictAsync(HttpRequest request, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<PredictRequest>(request, cancellationToken);
        if (problem is not null)
            return problem;
        var errors = new FieldErrors();
        var task = string.IsNullOrWhiteSpace(body!.Task) ? null : TaskAliases.TryResolve(body.Task);
        if (task is null)
            errors.Add("task", $"Unknown task '{body.Task}'. Aliases: {string.Join(", ", TaskAliases.All.Keys)}; tasks: {string.Join(", ", TaskCatalog.All.Select(t => t.Name))}.");
        else if (!CompositionInputs.Contains(task.Input))
            errors.Add("task", $"Task '{task.Name}' reads {task.Input}, not compositions.");
        var inputs = body.Compositions ?? [];
        if (inputs.Length == 0)
            errors.Add("compositions", "Give at least one composition.");
        else if (inputs.Length > MaxCompositions)
            errors.Add("compositions", $"{inputs.Length} compositions; at most {MaxCompositions} per call (screen larger sets as a campaign).");
        else
            CampaignRequestValidator.CompositionRows(inputs, "compositions", errors);
        if (body.Model is { } blank && string.IsNullOrWhiteSpace(blank))
            errors.Add("model", "The model version is blank; leave it out to use the task's default.");
        var estimate = PredictionEstimate.Median;
        if (body.Estimate is not null && !EstimateConversion.TryParse(body.Estimate, out estimate))
            errors.Add("estimate", $"'{body.Estimate}' is not an estimate; expected {Domain.Predictions.NumericEstimates.Names}.");
        if (errors.Any)
            return errors.ToResult();

        var registry = grains.GetGrain<IModelRegistryGrain>(IModelRegistryGrain.Key);
        var versionId = body.Model?.Trim() ?? await registry.GetDefaultAsync(task!.Name);
        if (versionId is null)
            return ApiProblems.Invalid("model", $"No model version for task '{task!.Name}': name one, or register a default ('darwin models add --default').");
        if (await registry.GetAsync(versionId) is not { } version)
            return ApiProblems.Invalid("model", $"Model version '{versionId}' is not registered.");
        if (!version.Tasks.IsDefaultOrEmpty && !version.Tasks.Contains(task!.Name))
            return ApiProblems.Invalid("task", $"Model version '{versionId}' does not answer '{task.Name}' (it answers {string.Join(", ", version.Tasks)}).");
        var key = await LeastLoadedAsync(grains, await registry.GetServingKeysAsync(versionId));
        if (key is null)
            return ApiProblems.Unavailable($"No live silo serves model version '{versionId}'.");

        var canonical = inputs.Select(i => CompositionParser.Parse(i).CanonicalFormula).ToArray();
        var distinct = canonical.Distinct(StringComparer.Ordinal).ToImmutableArray();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CallTimeout);
        ImmutableArray<Prediction> predictions;
        try
        {
            predictions = await grains.GetGrain<IModelGrain>(key).PredictAsync(new PredictionBatch(task!.Name, distinct, estimate), timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ApiProblems.Unavailable($"Model grain {key} did not answer within {CallTimeout.TotalSeconds:F0} s.");
        }
        var byComposition = distinct.Zip(predictions).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal);
        var rows = inputs.Select((input, i) =>
        {
            var p = byComposition[canonical[i]];
            return new PredictedComposition(input, canonical[i], p.Value, p.Label, p.Probability, p.LabelProbabilities, p.RawAnswer, p.Error,
                p.Low, p.High, p.Distribution);
        }).ToImmutableArray();
        return TypedResults.Ok(new PredictResponse(task.Name, versionId, rows, estimate.Name()));
    }

    /// <summary>The serving grain with the shortest queue (the registry lists GPUs first, which wins ties).</summary>
    private static async Task<string?> LeastLoadedAsync(IGrainFactory grains, ImmutableArray<string> keys)
    {
        if (keys.IsDefaultOrEmpty)
            return null;
        if (keys.Length == 1)
            return keys[0];
        var loads = await Task.WhenAll(keys.Select(async k =>
        {
            try
            {
                return (Key: k, Queue: (await grains.GetGrain<IModelGrain>(k).GetLoadAsync().WaitAsync(TimeSpan.FromSeconds(2))).QueueDepth);
            }
            catch (Exception e) when (e is TimeoutException or OrleansException)
            {
                return (Key: k, Queue: int.MaxValue);
            }
        }));
        return loads.MinBy(l => l.Queue).Key;
    }
}

using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DarwinGrid.Domain.Tasks;
using DarwinGrid.Grains.Campaigns;
using DarwinGrid.Grains.Models;
using DarwinGrid.Grains.Training;
using Microsoft.Extensions.Logging;
using DarwinGrid.Domain.Training;

namespace DarwinGrid.Grains.Loop;

// Learning from the lab: a LoRA run in a training grain from the campaign's model version on the
// current lab records (the held-out part scored before and after by the run), then a rescreen.
public sealed partial class LoopGrain
{
    /// <summary>Held-out fold records per task the update's registration scores (the lab's own held-out part is scored whole).</summary>
    public const int UpdateEvaluationLimit = 50;

    /// <summary>The recipe an update trains with when neither the request nor the version's manifest names one.</summary>
    public const string FallbackPreset = "mini";

    public async Task<LoopUpdate> StartUpdateAsync(LoopUpdateRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Steps is < 1 or > LoopLimits.MaxUpdateSteps)
            throw new ArgumentException($"The update's steps must be between 1 and {LoopLimits.MaxUpdateSteps} (got {request.Steps}).");
        if (request.Threads < 0)
            throw new ArgumentException($"Threads must not be negative (got {request.Threads}).");
        var definition = await RequireDefinitionAsync();
        await RefreshUpdateAsync();
        if (S.Updates.LastOrDefault() is { State: LoopUpdateState.Running } running)
            throw new InvalidOperationException($"Update {running.Number} (training run {running.RunId}) is still running.");
        var status = await Campaign.GetStatusAsync();
        if (status.State != CampaignState.Completed)
            throw new InvalidOperationException($"Campaign '{Id}' is {status.State}; an update starts from the model version of a completed screening.");
        var parents = status.Tasks.Select(t => t.ModelVersion).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (parents.Count != 1)
            throw new InvalidOperationException($"Campaign '{Id}' screens its tasks with {parents.Count} model versions ({string.Join(", ", parents)}); an update starts from one.");
        var parent = parents[0];

        var numeric = LabRecordSelection.Current(S.Datasets).Where(r => r.Value is not null && TaskCatalog.Get(r.Task).Kind == TaskKind.Regression).ToList();
        if (numeric.Count < 2)
            throw new InvalidOperationException($"Campaign '{Id}' has {numeric.Count} measured number(s); an update needs at least 2 (one is held out to score it). Upload measured values first.");
        var (train, heldOut) = LabRecordSelection.Split(numeric);
        var registry = GrainFactory.GetGrain<IModelRegistryGrain>(IModelRegistryGrain.Key);
        var parentInfo = await registry.GetAsync(parent) ?? throw new InvalidOperationException($"Model version '{parent}' is no longer registered.");

        var number = S.Updates.Count + 1;
        var runId = RunIdOf(Id, number);
        var spec = new TrainingJobSpec(
            request.Preset ?? PresetOf(parentInfo) ?? FallbackPreset,
            BaseModel: parent,
            Stages: ["multitask"],
            Mode: TrainingMode.Lora,
            Tasks: definition.Tasks,
            MaxSteps: request.Steps,
            Threads: request.Threads,
            Name: ModelNameOf(Id),
            EvaluationLimit: UpdateEvaluationLimit,
            Description: $"Lab-loop update {number} of campaign '{Id}': LoRA from {parent} on {train.Count} measured values (+ replay), {heldOut.Count} held out.",
            LabRecords: [.. train.Select(ToLabValue)],
            LabHeldOut: [.. heldOut.Select(ToLabValue)]);
        var run = await GrainFactory.GetGrain<ITrainingGrain>(runId).StartAsync(spec);
        var update = new LoopUpdate(number, runId, parent, LoopUpdateState.Running, DateTimeOffset.UtcNow, Who(request.RequestedBy),
            train.Count, heldOut.Count, S.Datasets.Count, TotalSteps: run.TotalSteps);
        S.Updates.Add(update);
        await WriteAsync();
        logger.LogInformation("Campaign {Id}: update {Number} started as training run {Run} from {Parent} ({Train} records, {HeldOut} held out)",
            Id, number, runId, parent, train.Count, heldOut.Count);
        return update;
    }

    public async Task<ImmutableArray<LoopUpdate>> GetUpdatesAsync()
    {
        await RefreshUpdateAsync();
        return [.. S.Updates];
    }

    public async Task<CampaignStatus> RescreenAsync(string? modelVersion = null)
    {
        await RequireDefinitionAsync();
        await RefreshUpdateAsync();
        var version = modelVersion ?? S.Updates.LastOrDefault(u => u.State == LoopUpdateState.Completed)?.NewVersion
            ?? throw new InvalidOperationException($"Campaign '{Id}' has no completed update to screen with; run an update first or name a model version.");
        NoteFirstScreening(await Campaign.GetStatusAsync());
        var status = await Campaign.RescreenAsync(version);
        S.Screenings.Add(new ScreeningRound(S.Screenings.Count + 1, version, status.StartedAt ?? DateTimeOffset.UtcNow,
            S.Updates.LastOrDefault(u => u.NewVersion == version)?.Number));
        await WriteAsync();
        return status;
    }

    /// <summary>Reads the running update's training run; a finished run's version and lab scores are stored with the update.</summary>
    private async Task RefreshUpdateAsync()
    {
        if (S.Updates.Count == 0 || S.Updates[^1] is not { State: LoopUpdateState.Running } update)
            return;
        var run = await GrainFactory.GetGrain<ITrainingGrain>(update.RunId).GetStatusAsync();
        var next = update with { Step = run.Step, TotalSteps = run.TotalSteps };
        switch (run.State)
        {
            case TrainingRunState.Completed:
                var version = await GrainFactory.GetGrain<IModelRegistryGrain>(IModelRegistryGrain.Key).GetAsync(run.VersionId!);
                next = next with
                {
                    State = LoopUpdateState.Completed,
                    NewVersion = run.VersionId,
                    Scores = version?.Metrics?.Where(m => m.Key.StartsWith(LabHeldOutScorer.Prefix, StringComparison.Ordinal))
                        .ToImmutableDictionary(StringComparer.Ordinal),
                };
                break;
            case TrainingRunState.Failed:
                next = next with { State = LoopUpdateState.Failed, Error = run.Error };
                break;
            case TrainingRunState.Cancelled:
                next = next with { State = LoopUpdateState.Cancelled, Error = "The training run was cancelled." };
                break;
        }
        if (next == update)
            return;
        S.Updates[^1] = next;
        if (next.State != update.State)
            await WriteAsync();
    }

    private static LabValue ToLabValue(LabMeasurement row) => new(row.Task, row.Composition, row.Value!.Value);

    /// <summary>The preset the version was trained with, from its manifest.</summary>
    private static string? PresetOf(ModelVersionInfo version)
    {
        if (version.ManifestJson is not { Length: > 0 } json)
            return null;
        try
        {
            using var manifest = JsonDocument.Parse(json);
            return manifest.RootElement.TryGetProperty("preset", out var preset) && preset.ValueKind == JsonValueKind.String ? preset.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Training run ids are at most 64 characters; a campaign id may have 80, so the run id carries a hash of it.</summary>
    public static string RunIdOf(string campaignId, int update) =>
        $"loop-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(campaignId)))[..12]}-u{update}";

    /// <summary>The model name of a campaign's updates: the registered version is <c>{name}:{run id}</c>.</summary>
    public static string ModelNameOf(string campaignId) => (campaignId.Length <= 60 ? campaignId : campaignId[..60]) + "-lab";
}

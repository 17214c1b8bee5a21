using System.Collections.Immutable;
using DarwinGrid.Domain.LabResults;
using DarwinGrid.Grains.Models;
using Microsoft.Extensions.Logging;

namespace DarwinGrid.Grains.Loop;

// Measured values in: validated whole (MeasuredResultsCsv plus the campaign's candidates and tasks),
// stored as the next dataset version with provenance and the prediction each row is compared with.
public sealed partial class LoopGrain
{
    public async Task<MeasuredUploadResult> UploadMeasuredAsync(MeasuredUpload upload)
    {
        ArgumentNullException.ThrowIfNull(upload);
        var content = upload.Content ?? [];
        if (content.Length > LoopLimits.MaxUploadBytes)
            return Refused(new MeasuredRowProblem(0, $"The file has {content.Length:N0} bytes; at most {LoopLimits.MaxUploadBytes:N0} are accepted per upload."));
        var definition = await RequireDefinitionAsync();
        if (S.Datasets.Count >= LoopLimits.MaxUploads)
            throw new InvalidOperationException($"Campaign '{Id}' has {S.Datasets.Count} lab dataset versions, the most a campaign keeps ({LoopLimits.MaxUploads}).");

        // First pass: which compositions the file names (every row that parses), to look them up in the campaign.
        var named = new HashSet<string>(StringComparer.Ordinal);
        var first = MeasuredResultsCsv.Read(content, composition => named.Add(composition) || true);
        if (S.Datasets.FirstOrDefault(d => d.Info.Sha256 == first.Sha256) is { } same)
            throw new InvalidOperationException($"This file (SHA-256 {first.Sha256[..12]}…) was already uploaded as lab dataset version {same.Info.Version} by {same.Info.UploadedBy} at {same.Info.UploadedAt:u}.");
        var status = await Campaign.GetStatusAsync();
        var versions = status.Tasks.Where(t => t.ModelVersion is not null).ToDictionary(t => t.Task, t => t.ModelVersion!, StringComparer.Ordinal);
        var found = named.Count == 0 ? [] : await FindCandidatesAsync(named, versions);

        // Second pass: the whole validation, unknown compositions included, every bad row named.
        var read = MeasuredResultsCsv.Read(content, found.ContainsKey);
        var problems = read.Errors.Select(e => new MeasuredRowProblem(e.Line, e.Problem)).ToList();
        if (read.Accepted)
        {
            problems.AddRange(read.Rows.Where(r => !definition.Tasks.Contains(r.Task)).Select(r => new MeasuredRowProblem(r.Line,
                $"task {r.Task} is not one of the campaign's tasks ({string.Join(", ", definition.Tasks)})")));
            var total = S.Datasets.Sum(d => d.Rows.Count) + read.Rows.Count;
            if (problems.Count == 0 && total > LoopLimits.MaxMeasuredRows)
                problems.Add(new MeasuredRowProblem(0, $"With these {read.Rows.Count:N0} rows the campaign would hold {total:N0} measured rows; at most {LoopLimits.MaxMeasuredRows:N0} are kept per campaign."));
        }
        if (problems.Count > 0)
        {
            logger.LogInformation("Campaign {Id}: measured-values upload by {User} refused ({Problems} problems)", Id, upload.UploadedBy, problems.Count);
            return new MeasuredUploadResult(false, [.. problems.Take(MeasuredResultsCsv.MaxErrorsListed + 1)], null);
        }

        var earlier = LabRecordSelection.Current(S.Datasets).Select(r => (r.Composition, r.Task, r.Conditions ?? "")).ToHashSet();
        var rows = read.Rows.Select(r => new LabMeasurement(r.Line, r.Input, r.Composition, r.Task, r.Value, r.Label, r.Conditions, r.Notes,
            PredictionSummaries.Of(found[r.Composition].GetValueOrDefault(r.Task)))).ToList();
        NoteFirstScreening(status);
        var info = new LabDatasetInfo(S.Datasets.Count + 1, DateTimeOffset.UtcNow, Who(upload.UploadedBy), read.Sha256,
            FileName(upload.FileName), rows.Count, rows.Count(r => earlier.Contains((r.Composition, r.Task, r.Conditions ?? ""))));
        S.Datasets.Add(new StoredLabDataset { Info = info, Rows = rows });
        await WriteAsync();
        logger.LogInformation("Campaign {Id}: lab dataset version {Version} ({Rows} rows, {Superseded} re-measured) uploaded by {User}, SHA-256 {Sha}",
            Id, info.Version, info.Rows, info.Superseded, info.UploadedBy, info.Sha256);
        return new MeasuredUploadResult(true, [], info);
    }

    /// <summary>The named compositions that are candidates of the campaign, each with its current predictions per task.</summary>
    private async Task<Dictionary<string, Dictionary<string, Prediction>>> FindCandidatesAsync(
        IReadOnlySet<string> compositions, IReadOnlyDictionary<string, string> versions)
    {
        var id = Id;
        return await Task.Run(async () =>
        {
            var found = new Dictionary<string, Dictionary<string, Prediction>>(StringComparer.Ordinal);
            await foreach (var candidate in store.ReadAllResultsAsync(id))
            {
                if (compositions.Contains(candidate.Composition) && !found.ContainsKey(candidate.Composition))
                    found[candidate.Composition] = CurrentPredictions.Of(candidate, versions);
            }
            return found;
        });
    }

    private static MeasuredUploadResult Refused(MeasuredRowProblem problem) => new(false, [problem], null);

    private static string? FileName(string? name) =>
        string.IsNullOrWhiteSpace(name) ? null : Who(Path.GetFileName(name.Trim()));
}

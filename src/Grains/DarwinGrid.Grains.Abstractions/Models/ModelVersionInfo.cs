using System.Collections.Immutable;

namespace DarwinGrid.Grains.Models;

[GenerateSerializer, Immutable]
public sealed record AdapterReference(
    [property: Id(0)] string Path,
    [property: Id(1)] float Scale = 1f);

/// <summary>
/// A registered model version: a base GGUF plus optional LoRA adapters, the prompt format it was
/// trained with, the tasks it answers and its measured metrics. Paths are in the model store.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ModelVersionInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] string BaseModelPath,
    [property: Id(2)] ImmutableArray<AdapterReference> Adapters,
    [property: Id(3)] string PromptFormat,
    [property: Id(4)] ImmutableArray<string> Tasks,
    [property: Id(5)] DateTimeOffset RegisteredAt,
    [property: Id(6)] string? ParentVersion = null,
    [property: Id(7)] string? ManifestJson = null,
    [property: Id(8)] ImmutableDictionary<string, ImmutableDictionary<string, double>>? Metrics = null,
    [property: Id(9)] string? Description = null);

public enum DeviceKind
{
    Cpu = 0,
    Gpu = 1,
}

/// <summary>A device a silo offers for model grains (one per GPU; one CPU device per CPU silo).</summary>
[GenerateSerializer, Immutable]
public sealed record DeviceInfo(
    [property: Id(0)] string Silo,
    [property: Id(1)] string Device,
    [property: Id(2)] DeviceKind Kind,
    [property: Id(3)] DateTimeOffset LastSeen)
{
    public string Address => $"{Silo}/{Device}";
}

/// <summary>How busy a model grain is; task grains pick the least loaded.</summary>
[GenerateSerializer, Immutable]
public sealed record ModelLoad(
    [property: Id(0)] string GrainKey,
    [property: Id(1)] string ModelVersion,
    [property: Id(2)] string Device,
    [property: Id(3)] bool Loaded,
    [property: Id(4)] int QueueDepth,
    [property: Id(5)] long Predictions,
    [property: Id(6)] double CandidatesPerSecond,
    [property: Id(7)] double TokensPerSecond,
    [property: Id(8)] string? Error = null,
    [property: Id(9)] bool LoadFailed = false);

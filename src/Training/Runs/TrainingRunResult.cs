namespace DarwinGrid.Training.Runs;

/// <summary>The files a run wrote and what its manifest says.</summary>
public sealed record TrainingRunResult(string ModelPath, string ManifestPath, string LossCurvePath, TrainingRunManifest Manifest);

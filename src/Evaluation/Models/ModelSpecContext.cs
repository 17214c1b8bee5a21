using Microsoft.Extensions.Logging;

namespace DarwinGrid.Evaluation.Models;

/// <summary>What a resolver may need to build a model: the data folder and logging.</summary>
public sealed record ModelSpecContext(string DataRoot, ILoggerFactory LoggerFactory);

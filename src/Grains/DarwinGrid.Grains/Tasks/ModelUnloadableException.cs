namespace DarwinGrid.Grains.Tasks;

/// <summary>A task's model cannot be loaded (wrong architecture, a file llama.cpp refuses): retrying cannot help, the task fails.</summary>
public sealed class ModelUnloadableException(string message) : Exception(message);

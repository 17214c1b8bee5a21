namespace DarwinGrid.Silo.LanguageModelEvaluation;

/// <summary>Writes each distinct warning once: every task and fold of an evaluation loads the model again and would repeat it.</summary>
public sealed class DistinctWarnings(TextWriter writer)
{
    private readonly HashSet<string> _written = new(StringComparer.Ordinal);

    public void Warn(string message)
    {
        lock (_written)
            if (_written.Add(message)) writer.WriteLine(message);
    }
}

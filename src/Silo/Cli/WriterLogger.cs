using Microsoft.Extensions.Logging;

namespace DarwinGrid.Silo.Cli;

/// <summary>Writes a command's informational log messages to its output (the invocation's writer, so tests can read them).</summary>
public sealed class WriterLogger(TextWriter output, Action? beforeWrite = null) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel)) return;
        beforeWrite?.Invoke();
        output.WriteLine(formatter(state, exception));
        output.Flush();
    }
}

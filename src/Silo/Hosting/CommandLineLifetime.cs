using Microsoft.Extensions.Hosting;

namespace DarwinGrid.Silo.Hosting;

/// <summary>
/// The CLI's hosts leave Ctrl-C and SIGTERM to System.CommandLine, which cancels the verb's token;
/// the verb then stops its host. (The default console lifetime would swallow the signal and wait
/// for a shutdown the verb never starts.)
/// </summary>
public sealed class CommandLineLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

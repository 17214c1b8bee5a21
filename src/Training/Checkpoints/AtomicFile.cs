using DarwinGrid.Domain.Files;

namespace DarwinGrid.Training.Checkpoints;

/// <summary>
/// Writes a file so that readers see the old version or the complete new one, never a torn one: the
/// content goes to <c>PATH.partial</c>, is flushed to disk (fsync), then renamed over
/// <c>PATH</c>. A failed write (disk full, I/O error) removes the partial file and leaves
/// <c>PATH</c> as it was.
/// </summary>
public static class AtomicFile
{
    public static string PartialPath(string path) => path + ".partial";

    public static void Write(string path, Action<Stream> write) =>
        Replace(path, partial =>
        {
            using var stream = new FileStream(partial, PrivateFiles.CreateOptions(bufferSize: 1 << 16));
            write(stream);
            stream.Flush(flushToDisk: true);
        });

    public static void WriteAllText(string path, string text) =>
        Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            writer.Write(text);
        });

    /// <summary>For writers that take a path (e.g. the GGUF writer): they write the partial file, which is then synced and renamed.</summary>
    public static void WriteVia(string path, Action<string> writeToPath) =>
        Replace(path, partial =>
        {
            writeToPath(partial);
            using var stream = new FileStream(partial, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            stream.Flush(flushToDisk: true);
        });

    /// <summary>Runs <paramref name="writeSynced"/> on the partial file, then renames it over <paramref name="path"/>; removes it on failure.</summary>
    private static void Replace(string path, Action<string> writeSynced)
    {
        var partial = PartialPath(path);
        try
        {
            writeSynced(partial);
            File.Move(partial, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(partial);
            throw new IOException($"Could not write '{path}': {e.Message}", e);
        }
        catch
        {
            TryDelete(partial);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            // A symbolic link is removed itself, never its target.
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The original error matters more than a leftover partial file, which the next write replaces.
        }
    }
}

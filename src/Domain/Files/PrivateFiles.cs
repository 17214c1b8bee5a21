namespace DarwinGrid.Domain.Files;

/// <summary>
/// Files that hold data, keys or hashes (the database, models, certificates, run folders) are the
/// owner's alone: files 600, folders 700. Creating them with that mode (instead of chmod after the
/// fact) leaves no moment in which another user could open them. No-ops on Windows (ACLs instead).
/// </summary>
public static class PrivateFiles
{
    public const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    public const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates the folder and any missing parents with mode 700; a folder that exists keeps its mode.</summary>
    public static DirectoryInfo CreateDirectory(string path) =>
        OperatingSystem.IsWindows() ? Directory.CreateDirectory(path) : Directory.CreateDirectory(path, OwnerOnlyDirectory);

    /// <summary>Options to create (or replace) a file that only its owner can read (600).</summary>
    public static FileStreamOptions CreateOptions(FileMode mode = FileMode.Create, FileShare share = FileShare.None, int bufferSize = 4096)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write, Share = share, BufferSize = bufferSize };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = OwnerOnlyFile;
        return options;
    }

    /// <summary>Writes text to a new or replaced file with mode 600 (an existing file is narrowed to 600 too).</summary>
    public static void WriteAllText(string path, string text)
    {
        using (var stream = new FileStream(path, CreateOptions()))
        using (var writer = new StreamWriter(stream))
            writer.Write(text);
        Restrict(path);
    }

    /// <summary>
    /// Narrows an existing file to 600, or creates it empty with that mode (e.g. a SQLite database
    /// before SQLite opens it: its -wal and -shm files take the database file's mode).
    /// </summary>
    public static void Restrict(string path)
    {
        if (OperatingSystem.IsWindows())
            return;
        try
        {
            using var created = new FileStream(path, CreateOptions(FileMode.CreateNew));
            return;
        }
        catch (IOException) when (File.Exists(path))
        {
            // It exists already: narrow it below.
        }
        try
        {
            if ((File.GetUnixFileMode(path) & ~OwnerOnlyFile) != 0)
                File.SetUnixFileMode(path, OwnerOnlyFile);
        }
        catch (UnauthorizedAccessException)
        {
            // Another user's file (a shared database): its owner decides its mode.
        }
    }
}

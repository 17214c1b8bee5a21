using System.Runtime.Versioning;
using DarwinGrid.Domain.Files;
using DarwinGrid.Silo.Hosting;
using DarwinGrid.TestSupport;

namespace DarwinGrid.Cli.Tests;

/// <summary>
/// Issue 17 ("Also"): what a fresh <c>darwin serve</c> creates holds data, keys or hashes and is
/// the owner's alone: the home and model folders 700, the SQLite database and its -wal/-shm 600.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class PrivateFilesTests
{
    [Fact]
    public async Task AFreshSiloCreatesItsHomeAndModels700AndItsDatabase600()
    {
        var root = Directory.CreateTempSubdirectory("private-files-").FullName;
        var home = Path.Combine(root, "home");
        try
        {
            using (var silo = DarwinHost.CreateSilo(new Dictionary<string, string?>
                   {
                       ["DarwinGrid:Home"] = home,
                       ["DarwinGrid:DataDir"] = SharedData.Root,
                       ["DarwinGrid:Web:OrleansDashboard"] = "false",
                       ["Logging:LogLevel:Default"] = "Warning",
                   }, (DarwinHost.FreePort(), DarwinHost.FreePort())))
            {
                await silo.StartAsync();
                await silo.StopAsync();
            }
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

            Assert.Equal(PrivateFiles.OwnerOnlyDirectory, File.GetUnixFileMode(home));
            Assert.Equal(PrivateFiles.OwnerOnlyDirectory, File.GetUnixFileMode(Path.Combine(home, "models")));
            var database = Path.Combine(home, "darwingrid.db");
            Assert.True(File.Exists(database));
            var files = Directory.GetFiles(home).ToList();
            foreach (var file in files)
                Assert.True(File.GetUnixFileMode(file) == PrivateFiles.OwnerOnlyFile, $"{file}: {File.GetUnixFileMode(file)}");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void NarrowingAWorldReadableFileMakesIt600()
    {
        var root = Directory.CreateTempSubdirectory("private-files-").FullName;
        try
        {
            var file = Path.Combine(root, "old.db");
            File.WriteAllText(file, "");
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            PrivateFiles.Restrict(file);
            Assert.Equal(PrivateFiles.OwnerOnlyFile, File.GetUnixFileMode(file));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}

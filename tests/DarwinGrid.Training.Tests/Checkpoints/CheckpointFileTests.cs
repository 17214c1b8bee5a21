using DarwinGrid.Training.Checkpoints;

namespace DarwinGrid.Training.Tests.Checkpoints;

/// <summary>The checkpoint container: exact round trip, damage detected by name, a failed write leaves the previous file.</summary>
public sealed class CheckpointFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("darwin-ckpt-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly Dictionary<string, float[]> Tensors = new()
    {
        ["param/token_embd.weight"] = [1.5f, -0f, float.Epsilon, 3e38f, -7.25f],
        ["m/blk.0.attn_norm.weight"] = [0.001f],
        ["empty"] = [],
    };

    private string Write(string name = "run.checkpoint", string header = "{\"step\":3}")
    {
        var path = Path.Combine(_dir, name);
        CheckpointFile.Write(path, header, Tensors);
        return path;
    }

    [Fact]
    public void WhatIsWrittenIsReadBackBitForBit()
    {
        var read = CheckpointFile.Read(Write());
        Assert.Equal("{\"step\":3}", read.HeaderJson);
        Assert.Equal(Tensors.Keys.Order(), read.Tensors.Keys.Order());
        foreach (var (name, values) in Tensors)
            Assert.Equal(values.Select(BitConverter.SingleToInt32Bits), read.Tensors[name].Select(BitConverter.SingleToInt32Bits));
        Assert.False(File.Exists(AtomicFile.PartialPath(Path.Combine(_dir, "run.checkpoint"))));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(13)]
    [InlineData(40)]
    [InlineData(-40)]
    [InlineData(-1)]
    public void AnyChangedByteIsReportedAsCorruptWithTheFileName(int offset)
    {
        var path = Write();
        var bytes = File.ReadAllBytes(path);
        var at = offset >= 0 ? offset : bytes.Length + offset;
        bytes[at] ^= 0x10;
        File.WriteAllBytes(path, bytes);
        var error = Assert.Throws<InvalidDataException>(() => CheckpointFile.Read(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("corrupt", error.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(32)]
    [InlineData(60)]
    public void ATruncatedFileIsReportedAsCorrupt(int cut)
    {
        var path = Write();
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^cut]);
        var error = Assert.Throws<InvalidDataException>(() => CheckpointFile.Read(path));
        Assert.Contains($"checkpoint '{path}' is corrupt", error.Message);
    }

    [Fact]
    public void AMissingFileIsNamed()
    {
        var path = Path.Combine(_dir, "none.checkpoint");
        Assert.Contains(path, Assert.Throws<FileNotFoundException>(() => CheckpointFile.Read(path)).Message);
    }

    [Fact]
    public void AWriteThatFailsForLackOfSpaceSaysSoAndLeavesThePreviousCheckpointValid()
    {
        if (!File.Exists("/dev/full")) return;   // Linux only: writes to /dev/full fail with ENOSPC.
        var path = Write(header: "{\"step\":1}");
        // The next write goes to PATH.partial: point it at a device whose writes fail as on a full disk.
        File.CreateSymbolicLink(AtomicFile.PartialPath(path), "/dev/full");

        var error = Assert.Throws<IOException>(() => CheckpointFile.Write(path, "{\"step\":2}", Tensors));
        Assert.Contains(path, error.Message);
        Assert.Contains("No space left on device", error.Message);
        Assert.Equal("{\"step\":1}", CheckpointFile.Read(path).HeaderJson);
        Assert.False(File.Exists(AtomicFile.PartialPath(path)));
        Assert.True(File.Exists("/dev/full"));
    }
}

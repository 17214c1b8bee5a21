using DarwinGrid.Grains.Placement;

namespace DarwinGrid.Grains.Tests.Placement;

public sealed class SiloProfileTests
{
    [Fact]
    public void ARoleFollowsTheDevicesWhenNotGiven()
    {
        Assert.Equal(new SiloProfile(SiloRole.Cpu, ["cpu0"]).Devices, SiloProfile.Resolve(null, null).Devices);
        Assert.Equal(SiloRole.Cpu, SiloProfile.Resolve(null, []).Role);
        var gpu = SiloProfile.Resolve("", ["gpu0", "cpu0", "gpu0"]);
        Assert.Equal(SiloRole.Gpu, gpu.Role);
        Assert.Equal(["gpu0", "cpu0"], gpu.Devices);
        Assert.Equal(SiloRole.Gpu, SiloProfile.Resolve("GPU", ["gpu1"]).Role);
    }

    [Fact]
    public void GpuSilosAdvertiseTheirAcceleratorAndCpuSilosNone()
    {
        var gpu = SiloProfile.Resolve("gpu", ["gpu0", "gpu1"]).Metadata();
        Assert.Equal("gpu", gpu[SiloProfile.RoleKey]);
        Assert.Equal("gpu0,gpu1", gpu[SiloProfile.DevicesKey]);
        Assert.Equal("gpu", gpu[SiloProfile.AcceleratorKey]);

        var cpu = SiloProfile.Resolve("cpu", ["cpu0"]).Metadata();
        Assert.Equal("cpu", cpu[SiloProfile.RoleKey]);
        Assert.False(cpu.ContainsKey(SiloProfile.AcceleratorKey));
    }

    [Fact]
    public void AModelGrainIsAllowedOnlyWhereTheMetadataListsItsDevice()
    {
        var metadata = SiloProfile.Resolve("gpu", ["gpu0", "cpu0"]).Metadata();
        Assert.True(SiloProfile.Offers(metadata, "gpu0"));
        Assert.True(SiloProfile.Offers(metadata, "cpu0"));
        Assert.False(SiloProfile.Offers(metadata, "gpu1"));
        Assert.False(SiloProfile.Offers(SiloProfile.Resolve("cpu", []).Metadata(), "gpu0"));
        // Metadata not known yet (a silo that just joined) does not block placement.
        Assert.True(SiloProfile.Offers(new Dictionary<string, string>(), "gpu0"));
    }

    [Theory]
    [InlineData("tpu", null, "DarwinGrid:Silo:Role")]
    [InlineData("gpu", "cpu0", "lists no gpu device")]
    [InlineData("cpu", "gpu0", "offers no accelerator")]
    [InlineData(null, "npu0", "not a device name")]
    [InlineData(null, "cpu0,gpu0", "not a device name")]
    public void ContradictionsAreRejectedNamingTheSetting(string? role, string? devices, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => SiloProfile.Resolve(role, devices is null ? null : [devices]));
        Assert.Contains(message, error.Message);
    }
}

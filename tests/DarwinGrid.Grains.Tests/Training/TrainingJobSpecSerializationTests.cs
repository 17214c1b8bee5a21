using System.Collections.Immutable;
using DarwinGrid.Domain.Training;
using DarwinGrid.Grains.Training;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace DarwinGrid.Grains.Tests.Training;

/// <summary>
/// Issue 18: the one <see cref="TrainingMode"/> lives in Domain (which has no Orleans); the grain API's
/// records that carry it must still cross the wire and be stored by Orleans' serializer, by number.
/// </summary>
public sealed class TrainingJobSpecSerializationTests
{
    private static readonly Serializer Serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

    [Theory]
    [InlineData(TrainingMode.Full)]
    [InlineData(TrainingMode.Lora)]
    public void ASpecKeepsItsTrainingModeThroughTheOrleansSerializer(TrainingMode mode)
    {
        var spec = new TrainingJobSpec("tiny", Stages: ["qa"], Mode: mode, Tasks: ImmutableArray<string>.Empty, Seed: 7);

        var copy = Serializer.Deserialize<TrainingJobSpec>(Serializer.SerializeToArray(spec))!;

        Assert.Equal(mode, copy.Mode);
        Assert.Equal(spec.Seed, copy.Seed);
        Assert.Equal(["qa"], copy.Stages.ToArray());
    }

    [Fact]
    public void TheModeIsWrittenAsTheNumberEarlierStatesHold()
    {
        // Stored states written before the enum moved carry 0/1; the values must not change.
        Assert.Equal([0, 1], Enum.GetValues<TrainingMode>().Select(m => (int)m));
    }
}

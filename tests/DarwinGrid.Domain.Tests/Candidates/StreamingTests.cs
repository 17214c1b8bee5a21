using System.Diagnostics;
using DarwinGrid.Domain.Candidates;
using DarwinGrid.TestSupport;
using static DarwinGrid.Domain.Tests.Candidates.OxidationData;

namespace DarwinGrid.Domain.Tests.Candidates;

public class StreamingTests
{
    // 14 × 10 × 10 × 10 × 12 × 10 = 1.68 million choices over pairwise disjoint sites (no de-duplication set).
    private const string MillionsSpec =
        "{A}{B}{C}{D}{E}{X}2; A=lanthanides,-Lu; B=3d; C=4d; D=5d; E=alkali,alkaline-earth; X=halogens,chalcogens";

    [Fact]
    public void TakingTheFirstTenOfAMillionsSpaceIsInstant()
    {
        // La + 3d + 4d + 5d + alkali + alkaline-earth + 9 chalcogen: 2.5 million choices, ~1 in 3 neutral.
        var generator = Generator("{A}{B}{C}{D}{E}{F}{X}9; A=lanthanides,-Lu; B=3d; C=4d; D=5d; E=alkali; F=alkaline-earth; X=chalcogens; neutral");
        Assert.Equal(2_520_000, generator.CountUpperBound());
        var watch = Stopwatch.StartNew();
        var first = generator.Generate().Take(10).ToList();
        watch.Stop();
        Assert.Equal(10, first.Count);
        Assert.All(first, c => Assert.True(Neutrality.IsNeutral(c.Composition)));
        Assert.True(watch.ElapsedMilliseconds < 1000, $"first 10 took {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public void UpperBoundOfAnAstronomicalSpaceSaturatesInsteadOfOverflowing()
    {
        var sites = string.Join("", Enumerable.Range(0, 12).Select(i => $"{{S{i}}}"));
        var definitions = string.Join("; ", Enumerable.Range(0, 12).Select(i => $"S{i}=transition-metals,lanthanides"));
        var generator = new CandidateGenerator(CandidateSpecParser.Parse($"{sites}; {definitions}"));
        Assert.Equal(long.MaxValue, generator.CountUpperBound()); // 44^12 ≈ 5e19 > long.MaxValue
        Assert.Single(generator.Generate().Take(1));
    }

    [Fact]
    public void CountingMillionsAllocatesAlmostNothing()
    {
        var generator = Generator(MillionsSpec);
        Assert.False(generator.NeedsDeduplicationSet);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var count = generator.Count();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(1_680_000, count);
        Assert.Equal(generator.CountUpperBound(), count);
        Assert.True(allocated < 100_000, $"Count() allocated {allocated:N0} bytes");
    }

    [Fact]
    public void GeneratingKeepsNothingAlive() => AssertNothingRetainedAfter(200_000);

    [Fact]
    [Trait("Category", TestCategories.Slow)]
    public void GeneratingAMillionKeepsNothingAlive() => AssertNothingRetainedAfter(1_000_000);

    private static void AssertNothingRetainedAfter(int candidates)
    {
        var generator = Generator(MillionsSpec);
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        using var enumerator = generator.Generate().GetEnumerator();
        var seen = 0;
        while (seen < candidates && enumerator.MoveNext())
            seen++;
        var retained = GC.GetTotalMemory(forceFullCollection: true) - baseline;
        Assert.Equal(candidates, seen);
        Assert.Equal(candidates - 1, enumerator.Current.RawIndex);
        // Retained candidates would cost well over 100 bytes each.
        Assert.True(retained < 2_000_000, $"{retained:N0} bytes retained mid-enumeration after {candidates:N0} candidates");
    }

    [Fact]
    public void CancellationStopsAWalk()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.Throws<OperationCanceledException>(() => Generator(MillionsSpec).Count(cancelled.Token));
        Assert.Throws<OperationCanceledException>(() => Generator(MillionsSpec).Generate(cancelled.Token).First());
    }
}

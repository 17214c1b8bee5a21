using System.Diagnostics;
using System.Runtime.CompilerServices;
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
    public void GeneratingKeepsNothingAlive() => AssertNothingRetainedAfter(50_000);

    [Fact]
    [Trait("Category", TestCategories.Slow)]
    public void GeneratingAMillionKeepsNothingAlive() => AssertNothingRetainedAfter(1_000_000);

    /// <summary>
    /// Watches the composition and formula of every 1000th candidate through weak references: once passed, none may stay reachable
    /// while the enumeration goes on (a generator that collected its output would keep them all).
    /// </summary>
    private static void AssertNothingRetainedAfter(int candidates)
    {
        var generator = Generator(MillionsSpec);
        var watched = new List<WeakReference<object>>();
        using var enumerator = generator.Generate().GetEnumerator();
        Assert.Equal(candidates, Advance(enumerator, candidates, watched));
        Assert.Equal(candidates - 1, enumerator.Current.RawIndex);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var alive = watched.Count(w => w.TryGetTarget(out _));
        Assert.True(alive == 0, $"{alive} of {watched.Count} compositions/formulas of passed candidates are still reachable mid-enumeration");
    }

    // Not inlined, so no stack slot of this frame keeps a candidate alive during the collection.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Advance(IEnumerator<GeneratedCandidate> enumerator, int count, List<WeakReference<object>> watched)
    {
        var seen = 0;
        while (seen < count && enumerator.MoveNext())
        {
            // The current candidate is the enumerator's own; only the ones passed must be gone.
            if (seen++ % 1000 == 0 && seen < count)
            {
                var candidate = enumerator.Current;
                watched.Add(new WeakReference<object>(candidate.Composition));
                watched.Add(new WeakReference<object>(candidate.CanonicalFormula));
            }
        }
        return seen;
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

using System.Xml.Linq;
using DarwinGrid.Evaluation.Loop;
using DarwinGrid.Silo.Benchmarks.Loop;
using DarwinGrid.Silo.Cli;

namespace DarwinGrid.Cli.Tests;

/// <summary>The bench's summary: the final line the checks read, and the discovery-curve picture.</summary>
public sealed class DiscoveryCurveTests
{
    private static VirtualLabRun Run(LoopStrategy strategy, params int[] hitsPerRound)
    {
        var cumulative = 0;
        var rounds = hitsPerRound.Select((h, i) => new LabRound(i + 1, [$"X{i}"], h, cumulative += h, "base")).ToArray();
        return new VirtualLabRun(strategy, rounds, 41);
    }

    private static readonly VirtualLabRun[] Runs =
        [Run(LoopStrategy.Random, 1, 1, 0, 1, 2), Run(LoopStrategy.Greedy, 1, 0, 0, 1, 0), Run(LoopStrategy.Loop, 2, 0, 3, 4, 1)];

    [Fact]
    public void TheFinalLineNamesEachStrategysHitsAndTheLoopsRatioToRandom()
    {
        Assert.Equal("hits after 5 rounds: loop=10 greedy=2 random=5 loop/random=2.00", BenchLoopCommand.FinalLine(Runs, 5));
        VirtualLabRun[] noRandomHits = [Run(LoopStrategy.Random, 0), Run(LoopStrategy.Greedy, 1), Run(LoopStrategy.Loop, 3)];
        Assert.Equal("hits after 1 rounds: loop=3 greedy=1 random=0 loop/random=inf", BenchLoopCommand.FinalLine(noRandomHits, 1));
    }

    [Fact]
    public void ThePictureIsSvgWithOneCurvePerStrategyFromRound0AndALegendWithTheHits()
    {
        var svg = XDocument.Parse(DiscoveryCurveSvg.Render(Runs, "band gap <top 5%>"));
        XNamespace ns = "http://www.w3.org/2000/svg";

        var curves = svg.Descendants(ns + "polyline").ToArray();
        Assert.Equal(3, curves.Length);
        Assert.All(curves, c => Assert.Equal(6, c.Attribute("points")!.Value.Split(' ').Length));
        var texts = svg.Descendants(ns + "text").Select(t => t.Value).ToArray();
        Assert.Contains("loop (10)", texts);
        Assert.Contains("greedy (2)", texts);
        Assert.Contains("random (5)", texts);
        Assert.Contains("band gap <top 5%>", texts);
    }
}

using System.Globalization;
using System.Net;
using System.Text;
using DarwinGrid.Evaluation.Loop;

namespace DarwinGrid.Silo.Benchmarks.Loop;

/// <summary>The discovery curves (cumulative hits after each round, one line per strategy) as a small self-contained SVG.</summary>
public static class DiscoveryCurveSvg
{
    private const int Width = 560, Height = 340, Left = 60, Right = 130, Top = 40, Bottom = 50;

    private static readonly Dictionary<LoopStrategy, string> Colours = new()
    {
        [LoopStrategy.Loop] = "#d62728",
        [LoopStrategy.Greedy] = "#1f77b4",
        [LoopStrategy.Random] = "#7f7f7f",
    };

    public static string Render(IReadOnlyList<VirtualLabRun> runs, string title)
    {
        var rounds = Math.Max(1, runs.Max(r => r.Rounds.Count));
        var maxHits = Math.Max(1, runs.Max(r => r.Hits));
        var yTop = NiceCeiling(maxHits);
        double X(int round) => Left + (double)round / rounds * (Width - Left - Right);
        double Y(double hits) => Height - Bottom - hits / yTop * (Height - Top - Bottom);
        string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width / 2}\" y=\"22\" text-anchor=\"middle\" font-size=\"14\">{WebUtility.HtmlEncode(title)}</text>\n");
        var step = Math.Max(1, yTop / 5);
        for (var h = 0; h <= yTop; h += step)
        {
            svg.Append($"<line x1=\"{Left}\" y1=\"{F(Y(h))}\" x2=\"{Width - Right}\" y2=\"{F(Y(h))}\" stroke=\"#e0e0e0\"/>\n");
            svg.Append($"<text x=\"{Left - 8}\" y=\"{F(Y(h) + 4)}\" text-anchor=\"end\">{h}</text>\n");
        }
        for (var round = 0; round <= rounds; round++)
            svg.Append($"<text x=\"{F(X(round))}\" y=\"{Height - Bottom + 18}\" text-anchor=\"middle\">{round}</text>\n");
        svg.Append($"<line x1=\"{Left}\" y1=\"{Height - Bottom}\" x2=\"{Width - Right}\" y2=\"{Height - Bottom}\" stroke=\"black\"/>\n");
        svg.Append($"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Height - Bottom}\" stroke=\"black\"/>\n");
        svg.Append($"<text x=\"{F((Left + Width - Right) / 2.0)}\" y=\"{Height - 12}\" text-anchor=\"middle\">round</text>\n");
        svg.Append($"<text x=\"16\" y=\"{F((Top + Height - Bottom) / 2.0)}\" text-anchor=\"middle\" transform=\"rotate(-90 16 {F((Top + Height - Bottom) / 2.0)})\">cumulative hits</text>\n");
        var legend = 0;
        foreach (var run in runs)
        {
            var colour = Colours[run.Strategy];
            var points = new[] { (Round: 0, Hits: 0) }.Concat(run.Rounds.Select(r => (r.Round, Hits: r.CumulativeHits)))
                .Select(p => $"{F(X(p.Round))},{F(Y(p.Hits))}");
            svg.Append($"<polyline points=\"{string.Join(" ", points)}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2.5\"/>\n");
            foreach (var r in run.Rounds)
                svg.Append($"<circle cx=\"{F(X(r.Round))}\" cy=\"{F(Y(r.CumulativeHits))}\" r=\"3.5\" fill=\"{colour}\"/>\n");
            var y = Top + 10 + 22 * legend++;
            svg.Append($"<line x1=\"{Width - Right + 15}\" y1=\"{y}\" x2=\"{Width - Right + 40}\" y2=\"{y}\" stroke=\"{colour}\" stroke-width=\"2.5\"/>\n");
            svg.Append($"<text x=\"{Width - Right + 46}\" y=\"{y + 4}\">{Name(run.Strategy)} ({run.Hits})</text>\n");
        }
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    public static string Name(LoopStrategy strategy) => strategy.ToString().ToLowerInvariant();

    private static int NiceCeiling(int value)
    {
        foreach (var step in new[] { 5, 10, 20, 50, 100 })
            if (value <= step * 5) return (value + step - 1) / step * step;
        return value;
    }
}

using System.Globalization;
using System.Text;
using Compression.Models.Evaluation;

namespace Compression.Plugins.Calibration;

/// <summary>
/// A reliability diagram (accuracy per confidence bin against the diagonal of perfect
/// calibration), before and after, as a small hand-written SVG: a few rectangles and lines need no
/// plotting library, and SVG renders in browsers and on GitHub.
/// </summary>
public static class ReliabilityDiagram
{
    private const int Size = 240;
    private const int Margin = 36;

    public static string Svg(CalibrationMetrics before, CalibrationMetrics after, double temperature)
    {
        var svg = new StringBuilder();
        int width = (2 * (Size + (2 * Margin))) + 10;
        int height = Size + (3 * Margin);
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"11\">\n");
        Panel(svg, before, 0, $"before: ECE {before.Ece:0.0000}");
        Panel(svg, after, Size + (2 * Margin) + 10, string.Create(CultureInfo.InvariantCulture, $"after (T = {temperature:0.###}): ECE {after.Ece:0.0000}"));
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static void Panel(StringBuilder svg, CalibrationMetrics metrics, int left, string title)
    {
        int x0 = left + Margin, y0 = Margin + Size;
        svg.Append(CultureInfo.InvariantCulture, $"  <text x=\"{x0}\" y=\"{Margin - 10}\">{title}</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"  <rect x=\"{x0}\" y=\"{Margin}\" width=\"{Size}\" height=\"{Size}\" fill=\"none\" stroke=\"#888\"/>\n");
        double binWidth = (double)Size / metrics.Bins.Count;
        for (int b = 0; b < metrics.Bins.Count; b++)
        {
            var bin = metrics.Bins[b];
            if (bin.Count == 0)
            {
                continue;
            }
            double h = bin.Accuracy * Size;
            svg.Append(CultureInfo.InvariantCulture, $"  <rect x=\"{x0 + (b * binWidth):0.#}\" y=\"{y0 - h:0.#}\" width=\"{binWidth - 1:0.#}\" height=\"{h:0.#}\" fill=\"#4a7ebb\"><title>confidence {bin.Confidence:0.000}, accuracy {bin.Accuracy:0.000}, {bin.Count} samples</title></rect>\n");
        }
        svg.Append(CultureInfo.InvariantCulture, $"  <line x1=\"{x0}\" y1=\"{y0}\" x2=\"{x0 + Size}\" y2=\"{Margin}\" stroke=\"#c33\" stroke-dasharray=\"4 3\"/>\n");
        foreach (double tick in new[] { 0.0, 0.5, 1.0 })
        {
            double offset = tick * Size;
            svg.Append(CultureInfo.InvariantCulture, $"  <text x=\"{x0 + offset - 6:0.#}\" y=\"{y0 + 12}\" fill=\"#555\">{tick:0.#}</text>\n");
            svg.Append(CultureInfo.InvariantCulture, $"  <text x=\"{x0 - 20}\" y=\"{y0 - offset + 4:0.#}\" fill=\"#555\">{tick:0.#}</text>\n");
        }
        svg.Append(CultureInfo.InvariantCulture, $"  <text x=\"{x0 + (Size / 2) - 30}\" y=\"{y0 + 26}\">confidence</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"  <text x=\"{left + 10}\" y=\"{Margin + (Size / 2)}\" text-anchor=\"middle\" transform=\"rotate(-90 {left + 10} {Margin + (Size / 2)})\">accuracy</text>\n");
    }
}

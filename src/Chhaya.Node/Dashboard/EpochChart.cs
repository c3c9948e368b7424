// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace Chhaya.Node.Dashboard;

/// <summary>
/// Draws epoch number against head timestamp as inline SVG on the server: no script, no inline style
/// (the Content-Security-Policy forbids both), only classes that /dashboard.css colours.
/// </summary>
internal static class EpochChart
{
    private const double Width = 640, Height = 180, Left = 56, Right = 12, Top = 12, Bottom = 28;

    public static void Render(StringBuilder html, IReadOnlyList<ChartPoint> points, string label)
    {
        if (points.Count == 0)
        {
            html.Append("<p class=\"empty\">No epoch heads yet.</p>");
            return;
        }

        var minT = points.Min(p => p.HeadTime.ToUnixTimeMilliseconds());
        var maxT = points.Max(p => p.HeadTime.ToUnixTimeMilliseconds());
        var minE = points.Min(p => p.Epoch);
        var maxE = points.Max(p => p.Epoch);
        double X(ChartPoint p) => Left + (maxT == minT ? 0.5 : (double)(p.HeadTime.ToUnixTimeMilliseconds() - minT) / (maxT - minT)) * (Width - Left - Right);
        double Y(ChartPoint p) => Height - Bottom - (maxE == minE ? 0.5 : (double)(p.Epoch - minE) / (maxE - minE)) * (Height - Top - Bottom);

        html.Append("<svg class=\"chart\" role=\"img\" viewBox=\"0 0 ").Append(N(Width)).Append(' ').Append(N(Height))
            .Append("\" xmlns=\"http://www.w3.org/2000/svg\"><title>").Append(HtmlEncoder.Default.Encode(label)).Append("</title>");
        // Axes, with the epoch range on the left and the time range below.
        html.Append("<path class=\"axis\" d=\"M").Append(N(Left)).Append(' ').Append(N(Top)).Append(" V").Append(N(Height - Bottom)).Append(" H").Append(N(Width - Right)).Append("\"/>");
        Text(html, Left - 6, Top + 10, "end", maxE.ToString(CultureInfo.InvariantCulture));
        Text(html, Left - 6, Height - Bottom, "end", minE.ToString(CultureInfo.InvariantCulture));
        Text(html, Left, Height - 8, "start", DashboardPage.Time(DateTimeOffset.FromUnixTimeMilliseconds(minT)));
        Text(html, Width - Right, Height - 8, "end", DashboardPage.Time(DateTimeOffset.FromUnixTimeMilliseconds(maxT)));

        html.Append("<polyline class=\"line\" points=\"");
        foreach (var p in points)
        {
            html.Append(N(X(p))).Append(',').Append(N(Y(p))).Append(' ');
        }

        html.Append("\"/>");
        foreach (var p in points)
        {
            html.Append("<circle class=\"").Append(p.Certified ? "certified" : "uncertified").Append("\" cx=\"").Append(N(X(p))).Append("\" cy=\"").Append(N(Y(p)))
                .Append("\" r=\"3.5\"><title>epoch ").Append(p.Epoch).Append(p.Certified ? " (certified)" : " (not certified)").Append(", ")
                .Append(DashboardPage.Time(p.HeadTime)).Append("</title></circle>");
        }

        html.Append("</svg><p class=\"legend\"><span class=\"dot certified\"></span> certified <span class=\"dot uncertified\"></span> not (yet) certified; last ")
            .Append(points.Count).Append(" heads.</p>");
    }

    private static void Text(StringBuilder html, double x, double y, string anchor, string text) =>
        html.Append("<text x=\"").Append(N(x)).Append("\" y=\"").Append(N(y)).Append("\" text-anchor=\"").Append(anchor).Append("\">")
            .Append(HtmlEncoder.Default.Encode(text)).Append("</text>");

    private static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}

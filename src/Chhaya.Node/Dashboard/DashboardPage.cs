// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Chhaya.Node.Api;

namespace Chhaya.Node.Dashboard;

/// <summary>
/// The HTML dashboard at <c>/</c>: rendered on the server from the history, no scripts, every value
/// HTML-encoded, styles from <c>/dashboard.css</c> so the Content-Security-Policy can forbid inline code.
/// </summary>
public static class DashboardPage
{
    public static void MapDashboard(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", RenderAsync).ExcludeFromDescription();
        app.MapGet("/dashboard.css", () => Results.Text(Stylesheet, "text/css; charset=utf-8")).ExcludeFromDescription();
    }

    internal static async Task<IResult> RenderAsync(HistoryReader reader, Identity.NodeIdentity identity, CancellationToken cancellationToken)
    {
        var counts = await reader.CountsAsync(cancellationToken);
        var directories = await reader.DirectoriesAsync(cancellationToken);
        var equivocations = await reader.EquivocationsAsync(0, 20, cancellationToken);

        var html = new StringBuilder(4096);
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"15\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Chhaya witness</title>")
            .Append("<link rel=\"stylesheet\" href=\"/dashboard.css\"></head><body>")
            .Append("<header><h1>Chhaya witness</h1><p class=\"id\">Node identity <code>").Append(E(identity.PublicKeyHex)).Append("</code></p></header><main>");

        html.Append("<section class=\"counts\">");
        Count(html, "Directories", counts.Directories);
        Count(html, "Epoch heads", counts.EpochHeads);
        Count(html, "Co-signatures", counts.CoSignatures);
        Count(html, "Quorum certificates", counts.QuorumCertificates);
        Count(html, "Equivocations", counts.Equivocations);
        html.Append("</section>");

        if (counts.Equivocations > 0)
        {
            html.Append("<section class=\"alarm\"><h2>Equivocation evidence</h2><table><thead><tr><th>#</th><th>Directory</th><th>Epoch</th><th>Kind</th><th>Summary</th><th>Detected</th></tr></thead><tbody>");
            foreach (var e in equivocations.Items)
            {
                html.Append("<tr><td>").Append(e.Sequence).Append("</td><td><code>").Append(E(Short(e.DirectoryId))).Append("</code></td><td>")
                    .Append(e.Epoch).Append("</td><td>").Append(E(e.Kind)).Append("</td><td>").Append(E(e.Summary)).Append("</td><td>")
                    .Append(Time(e.DetectedAt)).Append("</td></tr>");
            }

            html.Append("</tbody></table><p>Each bundle is verifiable offline; fetch it from <code>/api/v1/equivocations</code>.</p></section>");
        }

        html.Append("<section><h2>Directories</h2>");
        if (directories.Count == 0)
        {
            html.Append("<p class=\"empty\">Nothing has been witnessed yet. This node has no directories configured and has received no epoch heads; ")
                .Append("add a directory to the configuration and its epochs will appear here as they are audited.</p>");
        }
        else
        {
            html.Append("<table><thead><tr><th>Directory</th><th>Name</th><th>Configuration</th><th>Latest epoch</th><th>Root</th><th>Head time</th><th>Heads</th><th>Certificates</th><th>Equivocations</th></tr></thead><tbody>");
            foreach (var d in directories)
            {
                html.Append("<tr><td><code>").Append(E(Short(d.Id))).Append("</code></td><td>").Append(E(d.DisplayName ?? "")).Append("</td><td>")
                    .Append(E(d.Configuration ?? "")).Append("</td><td>").Append(d.LatestEpoch?.ToString(CultureInfo.InvariantCulture) ?? "none").Append("</td><td><code>")
                    .Append(E(Short(d.LatestRoot ?? ""))).Append("</code></td><td>").Append(d.LatestHeadTime is { } t ? Time(t) : "").Append("</td><td>")
                    .Append(d.EpochHeads).Append("</td><td>").Append(d.QuorumCertificates).Append("</td><td")
                    .Append(d.Equivocations > 0 ? " class=\"bad\"" : "").Append('>').Append(d.Equivocations).Append("</td></tr>");
            }

            html.Append("</tbody></table>");
        }

        html.Append("</section></main><footer>Read-only view. JSON API under <code>/api/v1</code>, OpenAPI at <code>/openapi/v1.json</code>, metrics at <code>/metrics</code>.</footer></body></html>");
        return Results.Content(html.ToString(), "text/html; charset=utf-8");
    }

    private static void Count(StringBuilder html, string label, long value) =>
        html.Append("<div><span class=\"n\">").Append(value.ToString(CultureInfo.InvariantCulture)).Append("</span><span class=\"l\">").Append(E(label)).Append("</span></div>");

    private static string E(string value) => HtmlEncoder.Default.Encode(value);

    private static string Short(string hex) => hex.Length > 16 ? hex[..16] + "…" : hex;

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private const string Stylesheet = """
        body { font-family: system-ui, sans-serif; margin: 0; color: #1b1f24; background: #f6f7f9; }
        header, main, footer { max-width: 72rem; margin: 0 auto; padding: 1rem 1.5rem; }
        header h1 { margin: 0.5rem 0 0.25rem; }
        .id code { word-break: break-all; }
        .counts { display: flex; flex-wrap: wrap; gap: 1rem; }
        .counts div { background: #fff; border: 1px solid #d8dde3; border-radius: 6px; padding: 0.75rem 1rem; min-width: 9rem; }
        .counts .n { display: block; font-size: 1.6rem; font-weight: 600; }
        .counts .l { color: #57606a; }
        table { border-collapse: collapse; width: 100%; background: #fff; }
        th, td { text-align: left; padding: 0.4rem 0.6rem; border-bottom: 1px solid #e3e7eb; }
        .empty { background: #fff; border: 1px dashed #b8c0c8; padding: 1rem; border-radius: 6px; }
        .alarm { border-left: 4px solid #c62828; padding-left: 1rem; }
        .bad { color: #c62828; font-weight: 600; }
        footer { color: #57606a; font-size: 0.9rem; }
        """;
}

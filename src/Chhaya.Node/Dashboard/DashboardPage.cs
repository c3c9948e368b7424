// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Chhaya.LogStore.Storage;
using Chhaya.Node.Api;
using Chhaya.Node.P2p;
using Chhaya.Node.Witnessing;
using Microsoft.Extensions.Options;

namespace Chhaya.Node.Dashboard;

/// <summary>
/// The HTML dashboard at <c>/</c>: rendered on the server from the history, no scripts, every value
/// HTML-encoded, styles from <c>/dashboard.css</c> so the Content-Security-Policy can forbid inline code.
/// A short meta refresh keeps it current. It shows history and peers only: never message content or contacts.
/// </summary>
public static class DashboardPage
{
    /// <summary>Seconds between reloads of the page.</summary>
    public const int RefreshSeconds = 5;

    /// <summary>Peers listed; the count is always complete.</summary>
    public const int PeerLimit = 100;

    public static void MapDashboard(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", RenderAsync).ExcludeFromDescription();
        app.MapGet("/dashboard.css", () => Results.Text(DashboardStyles.Stylesheet, "text/css; charset=utf-8")).ExcludeFromDescription();
        app.MapGet(DashboardIcon.Path, () => Results.Text(DashboardIcon.Svg, "image/svg+xml")).ExcludeFromDescription();
    }

    internal static async Task<IResult> RenderAsync(
        HistoryReader reader,
        LogStoreContextFactory contexts,
        IOptions<WitnessOptions> witness,
        TimeProvider time,
        NodeP2pHost p2p,
        Identity.NodeIdentity identity,
        CancellationToken cancellationToken)
    {
        var counts = await reader.CountsAsync(cancellationToken);
        IReadOnlyList<PeerLine>? peers = p2p.Enabled
            ? [.. p2p.Host.Connections.Select(c => new PeerLine(c.RemotePeer.ToString(), c.RemoteAddress.ToString(), c.Direction.ToString(), c.OpenedAt))]
            : null;
        var model = await new DashboardReader(contexts, witness.Value, time).ReadAsync(peers, cancellationToken);

        var html = new StringBuilder(16384);
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"").Append(RefreshSeconds).Append("\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>")
            .Append(model.CriticalAlerts.Count > 0 ? "ALERT · " : "").Append("Chhaya witness</title>")
            .Append("<link rel=\"icon\" href=\"").Append(DashboardIcon.Path).Append("\" type=\"image/svg+xml\">")
            .Append("<link rel=\"stylesheet\" href=\"/dashboard.css\"></head><body>");

        // Critical alerts come before anything else, so an operator cannot miss them.
        if (model.CriticalAlerts.Count > 0)
        {
            RenderCritical(html, model.CriticalAlerts);
        }

        html.Append("<header><h1>Chhaya witness</h1><p class=\"id\">Node identity <code>").Append(E(identity.PublicKeyHex)).Append("</code> · page rendered ")
            .Append(Time(model.Now)).Append(", refreshes every ").Append(RefreshSeconds).Append(" s</p></header><main>");

        html.Append("<section class=\"counts\">");
        Count(html, "Directories", counts.Directories);
        Count(html, "Epoch heads", counts.EpochHeads);
        Count(html, "Co-signatures", counts.CoSignatures);
        Count(html, "Quorum certificates", counts.QuorumCertificates);
        Count(html, "Equivocations", counts.Equivocations);
        Count(html, "Alerts", counts.Alerts);
        Count(html, "Peers", peers?.Count ?? 0);
        html.Append("</section>");

        RenderDirectories(html, model.Directories);
        RenderEvidence(html, model.Evidence);
        RenderOtherAlerts(html, model.OtherAlerts);
        RenderPeers(html, peers);

        html.Append("</main><footer>Read-only view. JSON API under <code>/api/v1</code>, OpenAPI at <code>/openapi/v1.json</code>, metrics at <code>/metrics</code>.</footer></body></html>");
        return Results.Content(html.ToString(), "text/html; charset=utf-8");
    }

    private static void RenderCritical(StringBuilder html, IReadOnlyList<AlertLine> alerts)
    {
        html.Append("<section id=\"critical\" class=\"critical\" role=\"alert\"><h2>Critical: ").Append(alerts.Count)
            .Append(alerts.Count == 1 ? " alert" : " alerts").Append(" (newest first)</h2><ul>");
        foreach (var a in alerts)
        {
            html.Append("<li><strong>").Append(E(a.Kind)).Append("</strong> · directory <code>").Append(E(Short(a.DirectoryId ?? "none"))).Append("</code>");
            if (a.Epoch is { } epoch)
            {
                html.Append(" · epoch ").Append(epoch);
            }

            html.Append(" · ").Append(Time(a.RaisedAt)).Append("<br>").Append(E(a.Message));
            if (a.EvidenceSequence is { } n)
            {
                html.Append("<br><a href=\"/api/v1/equivocations/").Append(n).Append("/bundle\">Evidence bundle #").Append(n)
                    .Append("</a> (verify offline with <code>chhaya evidence verify</code>)");
            }

            html.Append("</li>");
        }

        html.Append("</ul></section>");
    }

    private static void RenderDirectories(StringBuilder html, IReadOnlyList<DirectoryPanel> directories)
    {
        html.Append("<section><h2>Directories</h2>");
        if (directories.Count == 0)
        {
            html.Append("<p class=\"empty\">Nothing has been witnessed yet. This node has no directories configured and has received no epoch heads; ")
                .Append("add a directory to the configuration and its epochs will appear here as they are audited.</p></section>");
            return;
        }

        foreach (var d in directories)
        {
            var status = d.Status switch
            {
                DirectoryStatus.Ok => "ok",
                DirectoryStatus.Stalled => "stalled",
                DirectoryStatus.Equivocation => "equivocation",
                _ => "waiting",
            };
            html.Append("<article class=\"directory\"><h3>").Append(E(d.Name ?? Short(d.Id))).Append(" <span class=\"status ").Append(status).Append("\">")
                .Append(status).Append("</span></h3><dl>");
            Item(html, "Id", "<code>" + E(d.Id) + "</code>");
            Item(html, "Configuration", E(d.Configuration ?? "unknown"));
            Item(html, "Latest epoch", d.LatestEpoch is { } e
                ? e.ToString(CultureInfo.InvariantCulture) + " · head time " + Time(d.LatestHeadTime!.Value) + " · received " + Time(d.LatestReceivedAt!.Value)
                : "none yet");
            Item(html, "Latest certified epoch", d.CertifiedEpoch is { } c
                ? c.ToString(CultureInfo.InvariantCulture) + " · " + d.CertifiedSigners!.Value.ToString(CultureInfo.InvariantCulture) + " signers"
                  + (d.Threshold is { } t ? " / threshold " + t.ToString(CultureInfo.InvariantCulture) + " of " + d.QuorumSize!.Value.ToString(CultureInfo.InvariantCulture) : "")
                : "none yet" + (d.Threshold is { } t2 ? " (threshold " + t2.ToString(CultureInfo.InvariantCulture) + ")" : ""));
            Item(html, "Co-signers of the latest epoch", Keys(d.LatestCoSigners));
            if (d.CertifiedEpoch is { } certified && certified != d.LatestEpoch)
            {
                Item(html, "Co-signers of the certified epoch", Keys(d.CertifiedCoSigners));
            }

            Item(html, "Equivocations", d.Equivocations.ToString(CultureInfo.InvariantCulture));
            html.Append("</dl>");
            EpochChart.Render(html, d.Chart, "Epochs of " + (d.Name ?? d.Id) + " over time");
            html.Append("</article>");
        }

        html.Append("</section>");
    }

    private static void RenderEvidence(StringBuilder html, IReadOnlyList<EvidenceLine> evidence)
    {
        if (evidence.Count == 0)
        {
            return;
        }

        html.Append("<section class=\"alarm\"><h2>Equivocation evidence</h2><table><thead><tr><th>#</th><th>Directory</th><th>Epoch</th><th>Kind</th><th>Summary</th><th>Detected</th><th>Bundle</th></tr></thead><tbody>");
        foreach (var e in evidence)
        {
            html.Append("<tr><td>").Append(e.Sequence).Append("</td><td><code>").Append(E(Short(e.DirectoryId))).Append("</code></td><td>")
                .Append(e.Epoch).Append("</td><td>").Append(E(e.Kind)).Append("</td><td class=\"msg\">").Append(E(e.Summary)).Append("</td><td>")
                .Append(Time(e.DetectedAt)).Append("</td><td><a href=\"/api/v1/equivocations/").Append(e.Sequence).Append("/bundle\">download</a></td></tr>");
        }

        html.Append("</tbody></table><p>Each bundle verifies offline with <code>chhaya evidence verify</code>; newest ")
            .Append(DashboardReader.AlertLimit).Append(" shown, all of them under <code>/api/v1/equivocations</code>.</p></section>");
    }

    private static void RenderOtherAlerts(StringBuilder html, IReadOnlyList<AlertLine> alerts)
    {
        html.Append("<section><h2>Other alerts</h2>");
        if (alerts.Count == 0)
        {
            html.Append("<p class=\"empty\">No warnings.</p></section>");
            return;
        }

        html.Append("<table><thead><tr><th>#</th><th>Severity</th><th>Kind</th><th>Directory</th><th>Message</th><th>Raised</th></tr></thead><tbody>");
        foreach (var a in alerts)
        {
            html.Append("<tr><td>").Append(a.Sequence).Append("</td><td>").Append(E(a.Severity)).Append("</td><td>").Append(E(a.Kind)).Append("</td><td><code>")
                .Append(E(Short(a.DirectoryId ?? ""))).Append("</code></td><td class=\"msg\">").Append(E(a.Message)).Append("</td><td>").Append(Time(a.RaisedAt)).Append("</td></tr>");
        }

        html.Append("</tbody></table></section>");
    }

    private static void RenderPeers(StringBuilder html, IReadOnlyList<PeerLine>? peers)
    {
        html.Append("<section><h2>Peers</h2>");
        if (peers is null)
        {
            html.Append("<p class=\"empty\">libp2p is turned off on this node.</p></section>");
            return;
        }

        html.Append("<p>").Append(peers.Count).Append(peers.Count == 1 ? " connected peer." : " connected peers.").Append("</p>");
        if (peers.Count > 0)
        {
            html.Append("<table><thead><tr><th>Peer id</th><th>Address</th><th>Direction</th><th>Connected</th></tr></thead><tbody>");
            foreach (var p in peers.Take(PeerLimit))
            {
                html.Append("<tr><td><code>").Append(E(p.PeerId)).Append("</code></td><td><code>").Append(E(p.Address)).Append("</code></td><td>")
                    .Append(E(p.Direction)).Append("</td><td>").Append(Time(p.ConnectedAt)).Append("</td></tr>");
            }

            html.Append("</tbody></table>");
        }

        html.Append("</section>");
    }

    /// <summary>Witness keys, abbreviated, with the full key in the title; already encoded.</summary>
    private static string Keys(IReadOnlyList<string> keys) => keys.Count == 0
        ? "none yet"
        : string.Join(" ", keys.Select(k => "<code class=\"key\" title=\"" + E(k) + "\">" + E(Short(k)) + "</code>"));

    /// <summary>Appends a definition; <paramref name="valueHtml"/> must already be encoded.</summary>
    private static void Item(StringBuilder html, string label, string valueHtml) =>
        html.Append("<dt>").Append(E(label)).Append("</dt><dd>").Append(valueHtml).Append("</dd>");

    private static void Count(StringBuilder html, string label, long value) =>
        html.Append("<div><span class=\"n\">").Append(value.ToString(CultureInfo.InvariantCulture)).Append("</span><span class=\"l\">").Append(E(label)).Append("</span></div>");

    private static string E(string value) => HtmlEncoder.Default.Encode(value);

    internal static string Short(string hex) => hex.Length > 16 ? hex[..16] + "…" : hex;

    internal static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}

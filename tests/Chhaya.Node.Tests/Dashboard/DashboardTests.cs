// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Globalization;
using System.Net;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using Chhaya.Node.Dashboard;
using Chhaya.Node.Hosting;
using Chhaya.Node.Identity;
using Microsoft.EntityFrameworkCore;

namespace Chhaya.Node.Tests.Dashboard;

/// <summary>The dashboard over real HTTP, in front of witness nodes that certify real epochs.</summary>
public sealed partial class DashboardTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task The_dashboard_shows_the_latest_certificate_its_signers_and_the_epoch_chart()
    {
        await using var network = await WitnessNetwork.StartAsync(witnesses: 2, threshold: 2, epochSeconds: 0.5);
        var witness = network.Witnesses[0];
        var keys = network.Witnesses.Select(w =>
        {
            using var key = WitnessKey.LoadOrCreate(Path.Combine(w.DataDirectory, "witness.key"));
            return Convert.ToHexStringLower(key.PublicKey.Bytes);
        }).ToList();

        // On a loaded machine a head can arrive later than the stall limit (3 intervals), so the status is part of the wait.
        var html = await PageWhenAsync(witness, page => CertifiedEpoch().IsMatch(page) && page.Contains("class=\"certified\"", StringComparison.Ordinal)
            && page.Contains("<span class=\"status ok\">ok</span>", StringComparison.Ordinal)
            && CoSigner().Count(SignersOfCertifiedEpoch(page)) == 2);

        var match = CertifiedEpoch().Match(html);
        var epoch = long.Parse(match.Groups["epoch"].Value, CultureInfo.InvariantCulture);
        var signers = int.Parse(match.Groups["signers"].Value, CultureInfo.InvariantCulture);
        Assert.Equal(2, signers);
        Assert.Equal("2", match.Groups["threshold"].Value);
        using (var db = witness.Store.Contexts.Create())
        {
            // The epoch shown is one the node really holds a certificate for.
            Assert.True(await db.QuorumCertificates.AnyAsync(q => q.DirectoryId == network.DirectoryId && q.Epoch == epoch));
        }

        // Co-signers are witnesses of the configured set, abbreviated, with the full key on hover. The certified
        // epoch is the latest one, or is listed on its own line; either way both witnesses signed it.
        var shown = CoSigner().Matches(SignersOfCertifiedEpoch(html)).Select(m => m.Groups["key"].Value).ToList();
        Assert.Equal(keys.Order(StringComparer.Ordinal), shown.Order(StringComparer.Ordinal));
        Assert.All(CoSigner().Matches(html), m => Assert.Contains(m.Groups["key"].Value, keys));
        Assert.Contains(HtmlEncoder.Default.Encode(DashboardPage.Short(shown[0])), html, StringComparison.Ordinal);

        Assert.Contains("<svg class=\"chart\"", html, StringComparison.Ordinal);
        Assert.Matches("<circle class=\"certified\" cx=\"[0-9.]+\" cy=\"[0-9.]+\"", html);
        Assert.Contains("<span class=\"status ok\">ok</span>", html, StringComparison.Ordinal);
        Assert.Contains("test directory", html, StringComparison.Ordinal);
        Assert.Contains("experimental", html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"critical\"", html, StringComparison.Ordinal);

        // The witness is connected to the directory node and the other witness.
        var peers = PeerCount().Match(html);
        Assert.True(peers.Success);
        Assert.True(int.Parse(peers.Groups["n"].Value, CultureInfo.InvariantCulture) >= 1);
        Assert.Contains(network.Producer.App.Services.GetService(typeof(P2p.NodeP2pHost)) is P2p.NodeP2pHost p ? p.PeerId.ToString() : "missing", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_equivocating_directory_puts_a_red_critical_banner_first_with_a_link_to_verifiable_evidence()
    {
        await using var network = await WitnessNetwork.StartAsync(witnesses: 3, threshold: 2, epochSeconds: 0.5, equivocateAt: 3);
        var witness = network.Witnesses[0];

        var html = await PageWhenAsync(witness, page => page.Contains("id=\"critical\"", StringComparison.Ordinal) && page.Contains("/bundle\"", StringComparison.Ordinal));

        // The banner is the first thing in the body, before the header and the directories.
        var body = html.IndexOf("<body>", StringComparison.Ordinal);
        var banner = html.IndexOf("<section id=\"critical\" class=\"critical\"", StringComparison.Ordinal);
        Assert.Equal(body + "<body>".Length, banner);
        Assert.True(banner < html.IndexOf("<h2>Directories</h2>", StringComparison.Ordinal));
        var section = html[banner..html.IndexOf("</section>", banner, StringComparison.Ordinal)];
        Assert.Contains("conflicting-heads", section, StringComparison.Ordinal);
        Assert.Contains(HtmlEncoder.Default.Encode(DashboardPage.Short(network.DirectoryId)), section, StringComparison.Ordinal);
        Assert.Matches(" · epoch [0-9]+ · ", section);
        Assert.Contains("<span class=\"status equivocation\">equivocation</span>", html, StringComparison.Ordinal);
        Assert.StartsWith("<title>ALERT", html[html.IndexOf("<title>", StringComparison.Ordinal)..], StringComparison.Ordinal);

        // The link leads to a bundle anyone can check offline.
        var link = Bundle().Match(section);
        Assert.True(link.Success);
        using var response = await witness.Http.GetAsync(new Uri(link.Value, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bundle = await response.Content.ReadAsByteArrayAsync();
        Assert.Null(Chhaya.Witness.Evidence.EvidenceBundle.Decode(bundle).Verify());
    }

    [Fact]
    public async Task A_hostile_directory_name_is_encoded_everywhere_and_the_page_carries_no_script()
    {
        const string hostile = "<script>alert(\"x\")</script><img src=x onerror=alert(1)>&";
        await using var network = await WitnessNetwork.StartAsync(witnesses: 1, threshold: 1, epochSeconds: 0.5, directoryName: hostile);
        var witness = network.Witnesses[0];

        using var response = await PageResponseWhenAsync(witness, page => page.Contains("<svg class=\"chart\"", StringComparison.Ordinal));
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("alert(\"x\")", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        // Once in the heading and once in the chart's title.
        Assert.True(Regex.Count(html, "&lt;script&gt;alert\\(&quot;x&quot;\\)&lt;/script&gt;&lt;img src=x onerror=alert\\(1\\)&gt;&amp;") >= 2);
        Assert.Equal(PublicSurface.ContentSecurityPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.DoesNotContain("script-src", PublicSurface.ContentSecurityPolicy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_directory_that_stops_publishing_is_shown_as_stalled()
    {
        await using var network = await WitnessNetwork.StartAsync(witnesses: 1, threshold: 1, epochSeconds: 0.5);
        var witness = network.Witnesses[0];
        await PageWhenAsync(witness, page => page.Contains("<span class=\"status ok\">ok</span>", StringComparison.Ordinal));

        await network.Producer.App.StopAsync();
        var html = await PageWhenAsync(witness, page => page.Contains("<span class=\"status stalled\">stalled</span>", StringComparison.Ordinal));
        Assert.DoesNotContain("<span class=\"status ok\">", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_node_with_nothing_witnessed_explains_what_to_do_and_serves_its_stylesheet()
    {
        await using var node = await TestNode.StartAsync();
        var html = await node.Http.GetStringAsync(new Uri("/", UriKind.Relative));
        Assert.Contains("Nothing has been witnessed yet", html, StringComparison.Ordinal);
        Assert.Contains("<meta http-equiv=\"refresh\" content=\"5\">", html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"critical\"", html, StringComparison.Ordinal);

        using var css = await node.Http.GetAsync(new Uri("/dashboard.css", UriKind.Relative));
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
        Assert.Contains(".critical", await css.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>The co-signer list of the certified epoch: its own line, or the latest epoch's when that is the certified one.</summary>
    private static string SignersOfCertifiedEpoch(string html)
    {
        var certified = CertifiedSigners().Match(html);
        return certified.Success ? certified.Groups["keys"].Value : LatestSigners().Match(html).Groups["keys"].Value;
    }

    private static async Task<string> PageWhenAsync(TestNode node, Func<string, bool> condition)
    {
        using var response = await PageResponseWhenAsync(node, condition);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Fetches the page until it satisfies <paramref name="condition"/>, for at most <see cref="Limit"/>.</summary>
    private static async Task<HttpResponseMessage> PageResponseWhenAsync(TestNode node, Func<string, bool> condition)
    {
        using var timeout = new CancellationTokenSource(Limit);
        var last = "";
        while (!timeout.IsCancellationRequested)
        {
            var response = await node.Http.GetAsync(new Uri("/", UriKind.Relative), timeout.Token);
            response.EnsureSuccessStatusCode();
            last = await response.Content.ReadAsStringAsync(timeout.Token);
            if (condition(last))
            {
                // The content is buffered, so the caller can read it again.
                return response;
            }

            response.Dispose();
            try
            {
                await Task.Delay(200, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        Assert.Fail($"The dashboard never showed what was expected within {Limit.TotalSeconds} s. Last page:\n{last}");
        return null!;
    }

    [GeneratedRegex("Latest certified epoch</dt><dd>(?<epoch>[0-9]+) · (?<signers>[0-9]+) signers / threshold (?<threshold>[0-9]+) of [0-9]+</dd>")]
    private static partial Regex CertifiedEpoch();

    [GeneratedRegex("<code class=\"key\" title=\"(?<key>[0-9a-f]+)\">")]
    private static partial Regex CoSigner();

    [GeneratedRegex("Co-signers of the certified epoch</dt><dd>(?<keys>.*?)</dd>")]
    private static partial Regex CertifiedSigners();

    [GeneratedRegex("Co-signers of the latest epoch</dt><dd>(?<keys>.*?)</dd>")]
    private static partial Regex LatestSigners();

    [GeneratedRegex("<p>(?<n>[0-9]+) connected peers?\\.</p>")]
    private static partial Regex PeerCount();

    [GeneratedRegex("/api/v1/equivocations/[0-9]+/bundle")]
    private static partial Regex Bundle();
}

// SPDX-License-Identifier: AGPL-3.0-or-later
using System.CommandLine;
using System.Globalization;
using Chhaya.Node.Hosting;
using Chhaya.Node.Identity;
using Chhaya.Node.P2p;
using Chhaya.Node.Producer;
using Chhaya.Node.Witnessing;
using Chhaya.LogStore;
using Chhaya.LogStore.Storage;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;

namespace Chhaya.Node.Cli;

/// <summary>
/// <c>chhaya devnet</c>: a whole witness network on loopback in one process — a directory publishing
/// epochs of random key updates and N witness nodes with a t-of-N quorum, each a full node with its own
/// data directory, store, libp2p host and HTTP listener — until Ctrl-C.
/// </summary>
internal static class DevnetCommand
{
    public static Command Create()
    {
        var witnesses = new Option<int>("--witnesses") { Description = "How many witness nodes (1 to 16).", DefaultValueFactory = _ => 3 };
        var threshold = new Option<int?>("--threshold") { Description = "Co-signatures a certificate needs (default: a majority)." };
        var interval = new Option<string>("--epoch-interval") { Description = "Time between epochs, such as 1s or 500ms.", DefaultValueFactory = _ => "1s" };
        var updates = new Option<int>("--updates-per-epoch") { Description = "Random key updates in each epoch.", DefaultValueFactory = _ => 10 };
        var equivocateAt = new Option<long?>("--equivocate-at") { Description = "Make the directory fork at this epoch, to watch the witnesses catch it." };
        var dataDir = new Option<string?>("--data-dir") { Description = "Where the nodes keep their data (default: a new directory under the system temp directory)." };
        var urls = new Option<string>("--urls") { Description = "Where the first witness serves the dashboard.", DefaultValueFactory = _ => NodeHost.DefaultUrls };
        var chat = new Option<bool>("--chat") { Description = "Have user-1 message user-2 every few seconds and print the end-to-end latency (needs 2 witnesses or more)." };
        var command = new Command("devnet", "Run a local witness network on loopback: a directory and several witnesses with a quorum, and the dashboard. Witness N is also the messaging user user-N, bound in the directory.")
        {
            witnesses, threshold, interval, updates, equivocateAt, dataDir, urls, chat,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var n = parse.GetValue(witnesses);
            var t = parse.GetValue(threshold) ?? (n / 2) + 1;
            if (n is < 1 or > 16 || t < 1 || t > n)
            {
                await Console.Error.WriteLineAsync($"chhaya devnet: need 1 to 16 witnesses and a threshold between 1 and the number of witnesses (got {n} and {t}).");
                return 2;
            }

            if (!TryParseInterval(parse.GetValue(interval)!, out var epochInterval))
            {
                await Console.Error.WriteLineAsync($"chhaya devnet: --epoch-interval '{parse.GetValue(interval)}' is not a duration such as 1s, 500ms or 2m (at least 100ms).");
                return 2;
            }

            if (parse.GetValue(chat) && n < 2)
            {
                await Console.Error.WriteLineAsync("chhaya devnet: --chat needs at least 2 witnesses (user-1 writes to user-2).");
                return 2;
            }

            var settings = new DevnetSettings(n, t, epochInterval, Math.Clamp(parse.GetValue(updates), 0, 10_000), parse.GetValue(equivocateAt),
                parse.GetValue(dataDir) ?? Path.Combine(Path.GetTempPath(), "chhaya-devnet-" + Path.GetRandomFileName()), parse.GetValue(urls)!, parse.GetValue(chat));
            return await RunAsync(settings, cancellationToken);
        });
        return command;
    }

    internal static bool TryParseInterval(string text, out TimeSpan interval)
    {
        interval = default;
        var (number, unit) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 0.001)
            : text.EndsWith('s') ? (text[..^1], 1.0)
            : text.EndsWith('m') ? (text[..^1], 60.0)
            : (text, 1.0);
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            return false;
        }

        interval = TimeSpan.FromSeconds(value * unit);
        return interval >= TimeSpan.FromMilliseconds(100) && interval <= TimeSpan.FromHours(1);
    }

    private static async Task<int> RunAsync(DevnetSettings settings, CancellationToken cancellationToken)
    {
        await using var network = new Devnet(settings);
        try
        {
            await network.StartAsync(Console.Out, cancellationToken);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ArgumentException or InvalidDataException)
        {
            await Console.Error.WriteLineAsync($"chhaya devnet: cannot start: {e.Message}");
            return 1;
        }
        catch (OperationCanceledException)
        {
            return 0;
        }

        await network.ReportUntilStoppedAsync(Console.Out, cancellationToken);
        Console.WriteLine("Stopping the devnet…");
        return 0;
    }
}

/// <summary>What <c>chhaya devnet</c> was asked to start.</summary>
internal sealed record DevnetSettings(int Witnesses, int Threshold, TimeSpan EpochInterval, int UpdatesPerEpoch, long? EquivocateAt, string DataDirectory, string Urls, bool Chat = false);

/// <summary>The nodes of a devnet, started in order and stopped together.</summary>
internal sealed class Devnet(DevnetSettings settings) : IAsyncDisposable
{
    private readonly List<(string Name, WebApplication App)> _nodes = [];

    public string DirectoryId { get; private set; } = "";

    public IReadOnlyList<(string Name, WebApplication App)> Nodes => _nodes;

    public async Task StartAsync(TextWriter output, CancellationToken cancellationToken)
    {
        var root = System.IO.Directory.CreateDirectory(settings.DataDirectory).FullName;
        var producerDir = System.IO.Directory.CreateDirectory(Path.Combine(root, "directory")).FullName;
        string headKey, vrfKey;
        using (var keys = DirectoryKeys.LoadOrCreate(producerDir))
        {
            DirectoryId = keys.DirectoryId.ToHex();
            headKey = Convert.ToHexStringLower(keys.HeadPublicKey);
            vrfKey = Convert.ToHexStringLower(keys.VrfPublicKey);
        }

        var witnessDirs = Enumerable.Range(1, settings.Witnesses).Select(i => System.IO.Directory.CreateDirectory(Path.Combine(root, $"witness-{i}")).FullName).ToList();
        var members = new List<(string, string)>();
        foreach (var dir in witnessDirs)
        {
            using var key = WitnessKey.LoadOrCreate(Path.Combine(dir, "witness.key"));
            members.Add(FollowArguments.Member(key));
        }

        var seconds = settings.EpochInterval.TotalSeconds.ToString(CultureInfo.InvariantCulture);
        string[] quiet = ["--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Microsoft.AspNetCore=Warning", "--P2p:GossipHeartbeatMilliseconds=500"];
        var following = new FollowArguments(DirectoryId, headKey, vrfKey, settings.Threshold)
        {
            Name = "devnet directory",
            EpochIntervalSeconds = settings.EpochInterval.TotalSeconds,
            Witnesses = members,
        };
        var directoryConfig = following.ToArguments();

        // The directory node follows its own directory as an auditor, so it stores the certificates its
        // lookup answers carry.
        string[] producerConfig =
        [
            .. quiet,
            .. directoryConfig,
            "--Producer:Enabled=true",
            "--Producer:Name=devnet directory",
            $"--Producer:EpochIntervalSeconds={seconds}",
            $"--Producer:RandomUpdatesPerEpoch={settings.UpdatesPerEpoch}",
            .. settings.EquivocateAt is { } e ? [$"--Producer:EquivocateAtEpoch={e}"] : Array.Empty<string>(),
        ];
        output.WriteLine($"Starting a devnet in {root}");
        var producer = await StartNodeAsync("directory", producerDir, "http://127.0.0.1:0", producerConfig, cancellationToken);
        var producerAddress = producer.Services.GetRequiredService<NodeP2pHost>().Host.GetAnnounceAddresses()[0].ToString();
        output.WriteLine($"  directory  {DirectoryId}  libp2p {producerAddress}");

        string[] follow = [.. quiet, .. (following with { Sources = [producerAddress] }).ToArguments()];
        var bootstrap = new List<string> { producerAddress };
        for (var i = 0; i < witnessDirs.Count; i++)
        {
            var urls = i == 0 ? settings.Urls : "http://127.0.0.1:0";
            var app = await StartNodeAsync($"witness-{i + 1}", witnessDirs[i], urls, [.. follow, $"--Messaging:Handle=user-{i + 1}", "--Messaging:PollIntervalSeconds=1", .. bootstrap.Select((a, j) => $"--P2p:Bootstrap:{j}={a}")], cancellationToken);
            var address = app.Services.GetRequiredService<NodeP2pHost>().Host.GetAnnounceAddresses()[0].ToString();
            bootstrap.Add(address);
            output.WriteLine($"  witness-{i + 1}  {HttpAddress(app)}  libp2p {address}  messaging user-{i + 1}");

            // The directory binds the user's handle to its identity key and peer id from the next epoch on.
            if (app.Services.GetRequiredService<Messaging.NodeMessenger>().WhoAmI() is { } me)
            {
                producer.Services.GetRequiredService<ProducerService>().Enqueue(System.Text.Encoding.UTF8.GetBytes(me.Handle), Convert.FromHexString(me.BindingRecord));
            }
        }

        output.WriteLine($"Quorum: {settings.Threshold} of {settings.Witnesses}; an epoch every {settings.EpochInterval.TotalSeconds:0.###} s" +
            (settings.EquivocateAt is { } fork ? $"; the directory forks at epoch {fork}" : ""));
        output.WriteLine($"Dashboard: {HttpAddress(_nodes[1].App)}/   (Ctrl-C stops the devnet)");
    }

    /// <summary>Prints a line of progress every few seconds, as the first witness sees it, until cancelled.</summary>
    public async Task ReportUntilStoppedAsync(TextWriter output, CancellationToken cancellationToken)
    {
        var store = _nodes[1].App.Services.GetRequiredService<HistoryStore>();
        var alertsShown = 0L;
        DevnetChat? chat = settings.Chat ? new DevnetChat(_nodes[1].App.Services.GetRequiredService<Messaging.NodeMessenger>(), _nodes[2].App.Services.GetRequiredService<Messaging.NodeMessenger>()) : null;

        // Each node's host also listens for Ctrl-C and stops itself; any of them stopping ends the devnet.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource([cancellationToken, .. _nodes.Select(n => n.App.Lifetime.ApplicationStopping)]);
        cancellationToken = stop.Token;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(3));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                using var db = store.Contexts.Create();
                var epoch = await db.EpochHeads.MaxAsync(h => (long?)h.Epoch, cancellationToken);
                var certified = await db.QuorumCertificates.MaxAsync(q => (long?)q.Epoch, cancellationToken);
                var alerts = await db.Alerts.AsNoTracking().Where(a => a.Sequence > alertsShown).OrderBy(a => a.Sequence).ToListAsync(cancellationToken);
                var latency = await CertificateLatencyAsync(db, cancellationToken);
                var messages = chat is null ? "" : await chat.RoundAsync(cancellationToken);
                output.WriteLine($"[{DateTime.Now:HH:mm:ss}] epoch {epoch?.ToString(CultureInfo.InvariantCulture) ?? "-"}, last certified {certified?.ToString(CultureInfo.InvariantCulture) ?? "-"}{latency}{messages}");
                foreach (var alert in alerts)
                {
                    output.WriteLine($"  ALERT ({alert.Severity}, {alert.Kind}): {alert.Message}");
                    alertsShown = alert.Sequence;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C.
        }
    }

    /// <summary>
    /// Time from a head's signing by the directory to the first witness storing its certificate, over the
    /// last 200 certified epochs (one clock: every node runs in this process).
    /// </summary>
    private static async Task<string> CertificateLatencyAsync(LogStoreContext db, CancellationToken cancellationToken)
    {
        var certified = await db.QuorumCertificates.AsNoTracking()
            .GroupBy(q => q.Epoch)
            .Select(g => new { Epoch = g.Key, At = g.Min(q => q.RecordedAtUnixMs) })
            .OrderByDescending(x => x.Epoch)
            .Take(200)
            .ToListAsync(cancellationToken);
        if (certified.Count == 0)
        {
            return "";
        }

        var epochs = certified.Select(c => c.Epoch).ToList();
        var signedAt = await db.EpochHeads.AsNoTracking()
            .Where(h => epochs.Contains(h.Epoch))
            .GroupBy(h => h.Epoch)
            .Select(g => new { Epoch = g.Key, At = g.Min(h => h.HeadTimestampUnixMs) })
            .ToDictionaryAsync(x => x.Epoch, x => x.At, cancellationToken);
        var latencies = certified.Where(c => signedAt.ContainsKey(c.Epoch)).Select(c => (double)(c.At - signedAt[c.Epoch])).Order().ToList();
        if (latencies.Count == 0)
        {
            return "";
        }

        var median = latencies[latencies.Count / 2];
        var p99 = latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(latencies.Count * 0.99) - 1)];
        return string.Create(CultureInfo.InvariantCulture, $"; head to certificate median {median:0} ms, p99 {p99:0} ms ({latencies.Count} epochs)");
    }

    public async ValueTask DisposeAsync()
    {
        // Witnesses first, then the directory, so nobody reports the directory as stalled on the way out.
        for (var i = _nodes.Count - 1; i >= 0; i--)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _nodes[i].App.StopAsync(timeout.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await _nodes[i].App.DisposeAsync();
        }
    }

    private async Task<WebApplication> StartNodeAsync(string name, string dataDirectory, string urls, string[] configuration, CancellationToken cancellationToken)
    {
        var app = NodeHost.Build(new NodeRunArguments(dataDirectory, urls, [.. configuration, "--P2p:Mdns:Enabled=false", "--P2p:LoopbackOnly=true"], "/ip4/127.0.0.1/tcp/0"));
        _nodes.Add((name, app));
        await app.StartAsync(cancellationToken);
        return app;
    }

    private static string HttpAddress(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "?";
}

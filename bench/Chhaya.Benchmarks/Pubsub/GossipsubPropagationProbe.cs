// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Chhaya.P2p.Addressing;
using Chhaya.P2p.Hosting;
using Chhaya.P2p.Identity;
using Chhaya.P2p.Pubsub;

namespace Chhaya.Benchmarks.Pubsub;

/// <summary>
/// Propagation probe: N gossipsub routers on 127.0.0.1 in a ring with chords at distance 7 (degree 4), M messages
/// published one after another from rotating origins; reports per-delivery latency (median, p99), the time until
/// the last node had each message (median, p99), and the duplicate ratio (copies received and dropped as already
/// seen, per accepted delivery). Latency is a wall-clock figure on a shared machine, so it is indicative only.
/// <code>
/// dotnet run -c Release --project bench/Chhaya.Benchmarks -- gossipsub-propagation [--nodes 30] [--messages 100] [--size 256] [--heartbeat-ms 200] [--flood true|false]
/// </code>
/// </summary>
internal static class GossipsubPropagationProbe
{
    private const string Topic = "chhaya/bench/1";

    public static int Run(string[] args) => RunAsync(args).GetAwaiter().GetResult();

    private static async Task<int> RunAsync(string[] args)
    {
        var nodes = Option(args, "--nodes", 30);
        var messages = Option(args, "--messages", 100);
        var size = Option(args, "--size", 256);
        var heartbeat = Option(args, "--heartbeat-ms", 200);
        var flood = !args.Contains("--flood") || args[Array.IndexOf(args, "--flood") + 1] != "false";
        if (nodes < 3 || messages < 1 || size < 9)
        {
            Console.Error.WriteLine("need --nodes >= 3, --messages >= 1, --size >= 9");
            return 2;
        }

        long accepted = 0;
        long duplicates = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == P2pMetrics.MeterName && instrument.Name == "chhaya.p2p.gossipsub.messages.received")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "outcome" && tag.Value is "accepted")
                {
                    Interlocked.Add(ref accepted, value);
                }
                else if (tag.Key == "outcome" && tag.Value is "duplicate")
                {
                    Interlocked.Add(ref duplicates, value);
                }
            }
        });
        listener.Start();

        var identities = new List<Ed25519Identity>();
        var hosts = new List<Libp2pHost>();
        var routers = new List<GossipsubRouter>();
        var subs = new List<GossipsubSubscription>();
        try
        {
            for (var i = 0; i < nodes; i++)
            {
                var id = Ed25519Identity.Generate();
                identities.Add(id);
                var host = new Libp2pHost(new Libp2pHostOptions { Identity = id, ListenAddresses = [Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")] });
                await host.StartAsync(CancellationToken.None);
                hosts.Add(host);
                var router = new GossipsubRouter(host, id, new GossipsubOptions
                {
                    HeartbeatInterval = TimeSpan.FromMilliseconds(heartbeat),
                    FloodPublish = flood,
                    MaxMessageSize = Math.Max(size, 1 << 20),
                });
                router.Start();
                routers.Add(router);
                subs.Add(await router.SubscribeAsync(Topic));
            }

            using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            var dials = new List<Task>();
            for (var i = 0; i < nodes; i++)
            {
                dials.Add(hosts[i].DialAsync(hosts[(i + 1) % nodes].ListenAddresses[0].WithPeerId(hosts[(i + 1) % nodes].PeerId), cts.Token));
                dials.Add(hosts[i].DialAsync(hosts[(i + 7) % nodes].ListenAddresses[0].WithPeerId(hosts[(i + 7) % nodes].PeerId), cts.Token));
            }

            await Task.WhenAll(dials);
            var setup = Stopwatch.StartNew();
            while (routers.Any(r => r.MeshPeers(Topic).Count < 3) && setup.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(50, cts.Token);
            }

            // Warm up the paths (JIT, first sends), then reset the counters.
            await routers[0].PublishAsync(Topic, new byte[size], cts.Token);
            await Task.Delay(1000, cts.Token);
            foreach (var s in subs)
            {
                while (s.Messages.TryRead(out _))
                {
                }
            }

            Interlocked.Exchange(ref accepted, 0);
            Interlocked.Exchange(ref duplicates, 0);

            var latencies = new List<double>();
            var full = new List<double>();
            for (var k = 0; k < messages; k++)
            {
                var origin = k % nodes;
                var payload = new byte[size];
                BitConverter.TryWriteBytes(payload, k);
                var start = Stopwatch.GetTimestamp();
                await routers[origin].PublishAsync(Topic, payload, cts.Token);
                var arrivals = await Task.WhenAll(Enumerable.Range(0, nodes).Where(i => i != origin).Select(async i =>
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
                    timeout.CancelAfter(TimeSpan.FromSeconds(10));
                    while (true)
                    {
                        var m = await subs[i].Messages.ReadAsync(timeout.Token);
                        if (BitConverter.ToInt32(m.Data.Span) == k)
                        {
                            return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                        }
                    }
                }));
                latencies.AddRange(arrivals);
                full.Add(arrivals.Max());
            }

            await Task.Delay(500, cts.Token);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"gossipsub propagation: {nodes} nodes (ring + chords at 7, degree 4), {messages} messages of {size} bytes, heartbeat {heartbeat} ms, flood publish {flood}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  per-delivery latency ms: median {Percentile(latencies, 50):F2}, p99 {Percentile(latencies, 99):F2}, max {latencies.Max():F2}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  time to reach all {nodes - 1} others ms: median {Percentile(full, 50):F2}, p99 {Percentile(full, 99):F2}"));
            var a = Interlocked.Read(ref accepted);
            var d = Interlocked.Read(ref duplicates);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  accepted deliveries {a}, duplicates dropped {d}, duplicate ratio {(a == 0 ? 0 : (double)d / a):F2}"));
            return 0;
        }
        finally
        {
            foreach (var s in subs)
            {
                await s.DisposeAsync();
            }

            foreach (var r in routers)
            {
                await r.DisposeAsync();
            }

            foreach (var h in hosts)
            {
                await h.DisposeAsync();
            }

            foreach (var id in identities)
            {
                id.Dispose();
            }
        }
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }
}

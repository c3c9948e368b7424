// SPDX-License-Identifier: AGPL-3.0-or-later
using BenchmarkDotNet.Attributes;
using Chhaya.P2p.Hosting;
using Chhaya.P2p.Yamux;

namespace Chhaya.Benchmarks.P2p;

/// <summary>
/// Bulk transfer over one Yamux stream inside Noise over TCP loopback, C# to C#: each operation sends
/// <see cref="Bytes"/> and waits for the receiver's one-byte acknowledgement. Throughput = Bytes / mean time.
/// Compare with <c>tests/Chhaya.Interop.Tests/js/libp2p/bench.mjs</c> (js-libp2p to js-libp2p).
/// </summary>
[MemoryDiagnoser]
#pragma warning disable CA1001 // BenchmarkDotNet owns the lifetime: [GlobalCleanup] disposes the hosts.
public class P2pThroughputBenchmarks
{
    public const int Bytes = 64 * 1024 * 1024;
    private const int Chunk = 256 * 1024;

    private readonly byte[] _chunk = new byte[Chunk];
    private P2pBenchmarkHosts _hosts = null!;
    private Libp2pConnection _connection = null!;

    /// <summary>Yamux receive windows on both hosts: <c>default</c> (256 KiB per stream, auto-tuned up to 1 MiB),
    /// <c>auto-16MiB</c> (auto-tuned up to 16 MiB, as js-libp2p and go-libp2p do) or <c>fixed-256KiB</c> (auto-tuning
    /// off: the spec's window).</summary>
    [Params("default", "auto-16MiB", "fixed-256KiB")]
    public string Windows { get; set; } = "default";

    [GlobalSetup]
    public void Setup()
    {
        _hosts = new P2pBenchmarkHosts(Windows switch
        {
            "auto-16MiB" => new YamuxOptions { MaxReceiveWindow = 16 * 1024 * 1024 },
            "fixed-256KiB" => new YamuxOptions { AutoTuneReceiveWindow = false },
            _ => new YamuxOptions(),
        });
        _hosts.StartAsync().GetAwaiter().GetResult();
        _connection = _hosts.Dialer.DialAsync(_hosts.ListenerAddress.WithPeerId(_hosts.Listener.PeerId), CancellationToken.None).GetAwaiter().GetResult();
        Random.Shared.NextBytes(_chunk);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Console.WriteLine($"// Windows={Windows}: the receiver's window ended at {_hosts.LastReceiveWindow / 1024} KiB");
        _hosts.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Description = "64 MiB over one Yamux stream (Noise, TCP loopback)")]
    public async Task SendOneStream()
    {
        var s = await _hosts.Dialer.OpenStreamAsync(_connection, [P2pBenchmarkHosts.SinkProtocol], CancellationToken.None);
        await using (s)
        {
            for (var sent = 0; sent < Bytes; sent += Chunk)
            {
                await s.Stream.WriteAsync(_chunk);
            }

            await s.Stream.CloseWriteAsync();
            var ack = new byte[1];
            await s.Stream.ReadExactlyAsync(ack);
        }
    }
}
#pragma warning restore CA1001

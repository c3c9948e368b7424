// SPDX-License-Identifier: AGPL-3.0-or-later
using BenchmarkDotNet.Attributes;

namespace Chhaya.Benchmarks.P2p;

/// <summary>
/// One new connection per operation, C# to C# on loopback: TCP connect, multistream-select, Noise XX,
/// early Yamux negotiation, then close. Setup rate = 1 / mean time.
/// </summary>
[MemoryDiagnoser]
#pragma warning disable CA1001 // BenchmarkDotNet owns the lifetime: [GlobalCleanup] disposes the hosts.
public class P2pConnectionSetupBenchmarks
{
    private P2pBenchmarkHosts _hosts = null!;

    [GlobalSetup]
    public void Setup()
    {
        _hosts = new P2pBenchmarkHosts();
        _hosts.StartAsync().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => _hosts.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Description = "dial + Noise + Yamux + close")]
    public async Task DialAndClose()
    {
        // Without /p2p in the address the host does not reuse the previous connection.
        var connection = await _hosts.Dialer.DialAsync(_hosts.ListenerAddress, CancellationToken.None);
        await connection.CloseAsync();
    }
}
#pragma warning restore CA1001

// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Hosting;
using Chhaya.P2p.Relay;
using Chhaya.P2p.Tests.Hosting;

namespace Chhaya.P2p.Tests.Relay;

/// <summary>
/// DCUtR on loopback: after a relayed connection, both peers exchange CONNECT and SYNC over it, dial each other
/// directly, and the relayed connection is closed after the grace period. (On loopback nothing needs punching;
/// this proves the exchange, the dials and the migration.)
/// </summary>
public class DcutrTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_relayed_connection_is_upgraded_to_a_direct_one_and_the_relayed_one_closes()
    {
        await using var relay = await TestHost.StartAsync();
        await using var target = await TestHost.StartAsync();
        await using var dialer = await TestHost.StartAsync();
        _ = new RelayServer(relay.Host, relay.Identity);
        var targetClient = new RelayClient(target.Host);
        _ = new RelayClient(dialer.Host);
        var options = new DcutrOptions { RelayedGracePeriod = TimeSpan.FromMilliseconds(300) };
        var targetDcutr = new DcutrService(target.Host, options);
        var dialerDcutr = new DcutrService(dialer.Host, options);
        var targetDirect = new TaskCompletionSource<Libp2pConnection>(TaskCreationOptions.RunContinuationsAsynchronously);
        var dialerDirect = new TaskCompletionSource<Libp2pConnection>(TaskCreationOptions.RunContinuationsAsynchronously);
        targetDcutr.DirectConnectionEstablished += (_, c) => targetDirect.TrySetResult(c);
        dialerDcutr.DirectConnectionEstablished += (_, c) => dialerDirect.TrySetResult(c);
        using var cts = new CancellationTokenSource(Timeout);
        await targetClient.ReserveAsync(await target.Host.DialAsync(relay.Address, cts.Token), cts.Token);

        var relayed = await dialer.Host.DialAsync(CircuitAddresses.Build(relay.Address, target.Host.PeerId), cts.Token);
        var fromTarget = await targetDirect.Task.WaitAsync(cts.Token);
        var fromDialer = await dialerDirect.Task.WaitAsync(cts.Token);
        Assert.Equal(dialer.Host.PeerId, fromTarget.RemotePeer);
        Assert.Equal(target.Host.PeerId, fromDialer.RemotePeer);
        Assert.False(CircuitAddresses.IsRelayed(fromTarget.RemoteAddress));
        Assert.False(CircuitAddresses.IsRelayed(fromDialer.RemoteAddress));
        await dialer.Host.PingAsync(fromDialer, cts.Token);

        await relayed.Completion.WaitAsync(cts.Token);
        await RelayTests.WaitForAsync(
            () => target.Host.Connections.Any(c => c.RemotePeer.Equals(dialer.Host.PeerId) && CircuitAddresses.IsRelayed(c.RemoteAddress)) ? null : "closed",
            cts.Token);
    }

    [Fact]
    public async Task The_protocol_is_refused_on_direct_connections()
    {
        await using var a = await TestHost.StartAsync();
        await using var b = await TestHost.StartAsync();
        _ = new DcutrService(b.Host);
        var dcutr = new DcutrService(a.Host, new DcutrOptions { MessageTimeout = TimeSpan.FromSeconds(5) });
        using var cts = new CancellationTokenSource(Timeout);
        var direct = await a.Host.DialAsync(b.Address, cts.Token);

        // b closes the stream without answering; a sees the end of the stream as malformed input.
        await Assert.ThrowsAsync<Chhaya.Safety.MalformedInputException>(() => dcutr.UpgradeAsync(direct, cts.Token));
    }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Kad;

namespace Chhaya.P2p.Tests.Kad;

/// <summary>Hostile bytes on a real DHT stream end that stream only; the server keeps answering.</summary>
public class KadAdversarialTests
{
    [Theory]
    [InlineData("garbage", new byte[] { 0x05, 0xff, 0xff, 0xff, 0xff, 0xff })]
    [InlineData("huge length prefix", new byte[] { 0xff, 0xff, 0xff, 0xff, 0x0f })]
    [InlineData("unknown type", new byte[] { 0x02, 0x08, 0x09 })]
    [InlineData("put without record", new byte[] { 0x05, 0x08, 0x00, 0x12, 0x01, 0x2f })]
    [InlineData("truncated", new byte[] { 0x10, 0x08, 0x04 })]
    public async Task Malformed_requests_reset_the_stream_and_the_server_keeps_serving(string name, byte[] bytes)
    {
        Assert.NotEmpty(name);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var server = await KadNode.StartAsync([]);
        await using var client = await KadNode.StartAsync([]);
        var conn = await client.Host.DialAsync(server.Address, cts.Token);
        var bad = await client.Host.OpenStreamAsync(conn, [KadDhtOptions.DefaultProtocolId], cts.Token);
        await using (bad)
        {
            await bad.Stream.WriteAsync(bytes, cts.Token);
            await bad.Stream.FlushAsync(cts.Token);
            if (name == "truncated")
            {
                // Half-close so the server sees the stream end inside the message.
                bad.Stream.Dispose();
            }
            else
            {
                await Assert.ThrowsAnyAsync<Exception>(async () => _ = await KadFraming.ReadAsync(bad.Stream, KadLimits.Default, cts.Token) ?? throw new IOException("closed"));
            }
        }

        // The same connection still gets answers on a new stream.
        var good = await client.Host.OpenStreamAsync(conn, [KadDhtOptions.DefaultProtocolId], cts.Token);
        await using (good)
        {
            await KadFraming.WriteAsync(good.Stream, new KadMessage { Type = KadMessageType.Ping }, cts.Token);
            var answer = await KadFraming.ReadAsync(good.Stream, KadLimits.Default, cts.Token);
            Assert.Equal(KadMessageType.Ping, answer!.Type);
        }

        Assert.False(conn.IsClosed);
    }
}

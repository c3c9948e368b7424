// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Net.Sockets;
using Chhaya.P2p.Addressing;
using Chhaya.P2p.Identity;
using Chhaya.P2p.Multistream;
using Chhaya.P2p.Noise;
using Chhaya.P2p.Yamux;

namespace Chhaya.P2p.Tests.Hosting;

/// <summary>A misbehaving peer: completes multistream and Noise honestly, then writes raw Yamux frames.</summary>
internal sealed class RawAttacker : IAsyncDisposable
{
    private readonly Ed25519Identity _identity = Ed25519Identity.Generate();
    private readonly TcpClient _client = new();

    public Stream Secure { get; private set; } = Stream.Null;

    /// <summary>The socket under the Noise layer, for writing forged ciphertext.</summary>
    public Stream Raw => _client.GetStream();

    public static async Task<RawAttacker> ConnectAsync(Multiaddr target, CancellationToken cancellationToken)
    {
        var attacker = new RawAttacker();
        var (host, port) = target.WithoutPeerId().TryGetTcpTarget()!.Value;
        await attacker._client.ConnectAsync(host, port, cancellationToken);
        var raw = attacker._client.GetStream();
        await MultistreamSelect.SelectAsync(raw, [NoiseUpgrader.ProtocolId], cancellationToken);
        var result = await NoiseUpgrader.HandshakeAsync(raw, true, attacker._identity, target.PeerId, ["/yamux/1.0.0"], null, null, cancellationToken);
        attacker.Secure = result.Stream;
        return attacker;
    }

    /// <summary>Sends one frame; returns false when the host has already dropped the connection.</summary>
    public async Task<bool> SendFrameAsync(YamuxHeader header, int dataLength, CancellationToken cancellationToken)
    {
        var frame = new byte[YamuxHeader.Size + dataLength];
        header.Write(frame);
        try
        {
            await Secure.WriteAsync(frame, cancellationToken);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Reads until the host closes the connection; returns the GoAway code it sent, if any.</summary>
    public async Task<uint?> ReadUntilClosedAsync(CancellationToken cancellationToken)
    {
        uint? goAway = null;
        var header = new byte[YamuxHeader.Size];
        try
        {
            while (true)
            {
                await Secure.ReadExactlyAsync(header, cancellationToken);
                if (header[1] == (byte)YamuxFrameType.GoAway)
                {
                    goAway = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(8));
                }
                else if (header[1] == (byte)YamuxFrameType.Data)
                {
                    var len = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(8));
                    await Secure.ReadExactlyAsync(new byte[len], cancellationToken);
                }
            }
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or Chhaya.Safety.MalformedInputException)
        {
            return goAway;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Secure.DisposeAsync();
        _client.Dispose();
        _identity.Dispose();
    }
}

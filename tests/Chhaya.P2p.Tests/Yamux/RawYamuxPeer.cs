// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Buffers.Binary;
using System.Net.Sockets;
using Chhaya.P2p.Yamux;

namespace Chhaya.P2p.Tests.Yamux;

/// <summary>
/// A hand-driven Yamux peer over plain TCP (no Noise) that writes raw frames and keeps count of the window the
/// session under test grants on one stream: 256 KiB plus every window update for that stream.
/// </summary>
internal sealed class RawYamuxPeer(NetworkStream socket, uint streamId)
{
    private readonly byte[] _header = new byte[YamuxHeader.Size];

    /// <summary>Total bytes the session allowed on the stream so far.</summary>
    public long Window { get; private set; } = YamuxOptions.InitialWindow;

    public List<uint> PingAcks { get; } = [];

    public uint? GoAway { get; private set; }

    public async Task SendAsync(YamuxHeader header, int dataLength, CancellationToken cancellationToken)
    {
        var frame = new byte[YamuxHeader.Size + dataLength];
        header.Write(frame);
        await socket.WriteAsync(frame, cancellationToken);
    }

    /// <summary>Reads whole frames until none arrives for <paramref name="untilQuietFor"/> or the session hangs up.</summary>
    public async Task ReadFramesAsync(TimeSpan untilQuietFor, CancellationToken cancellationToken)
    {
        while (true)
        {
            using var quiet = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            quiet.CancelAfter(untilQuietFor);
            int first;
            try
            {
                first = await socket.ReadAsync(_header.AsMemory(0, 1), quiet.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (IOException)
            {
                return;
            }

            if (first == 0)
            {
                return;
            }

            await socket.ReadExactlyAsync(_header.AsMemory(1), cancellationToken);
            var type = (YamuxFrameType)_header[1];
            var flags = (YamuxFlagBits)BinaryPrimitives.ReadUInt16BigEndian(_header.AsSpan(2));
            var id = BinaryPrimitives.ReadUInt32BigEndian(_header.AsSpan(4));
            var length = BinaryPrimitives.ReadUInt32BigEndian(_header.AsSpan(8));
            switch (type)
            {
                case YamuxFrameType.Data:
                    await socket.ReadExactlyAsync(new byte[length], cancellationToken);
                    break;
                case YamuxFrameType.WindowUpdate when id == streamId:
                    Window += length;
                    break;
                case YamuxFrameType.Ping when (flags & YamuxFlagBits.Ack) != 0:
                    PingAcks.Add(length);
                    break;
                case YamuxFrameType.GoAway:
                    GoAway = length;
                    break;
            }
        }
    }
}

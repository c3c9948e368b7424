// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Diagnostics;
using System.Security.Cryptography;
using Chhaya.Safety;

namespace Chhaya.P2p.Protocols;

/// <summary>
/// libp2p ping (<c>/ipfs/ping/1.0.0</c>, specs <c>ping/ping.md</c>): the dialer sends 32 random bytes and the
/// listener echoes them; a stream may carry many pings.
/// </summary>
public static class PingProtocol
{
    public const string ProtocolId = "/ipfs/ping/1.0.0";
    public const int PayloadSize = 32;

    /// <summary>Sends one ping on <paramref name="stream"/> and returns the round-trip time.</summary>
    /// <exception cref="MalformedInputException">The echo differs or the stream ended.</exception>
    public static async Task<TimeSpan> PingOnceAsync(Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var payload = RandomNumberGenerator.GetBytes(PayloadSize);
        var echo = new byte[PayloadSize];
        var start = Stopwatch.GetTimestamp();
        await stream.WriteAsync(payload, cancellationToken).ConfigureAwait(false);
        try
        {
            await stream.ReadExactlyAsync(echo, cancellationToken).ConfigureAwait(false);
        }
        catch (EndOfStreamException e)
        {
            throw new MalformedInputException("peer closed the ping stream before echoing", e);
        }

        var elapsed = Stopwatch.GetElapsedTime(start);
        if (!payload.AsSpan().SequenceEqual(echo))
        {
            throw new MalformedInputException("ping echo does not match what was sent");
        }

        return elapsed;
    }

    /// <summary>Echoes 32-byte pings until the peer closes the stream or stays idle for <paramref name="idleTimeout"/>.</summary>
    public static async Task ServeAsync(Stream stream, TimeSpan idleTimeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var buffer = new byte[PayloadSize];
        while (true)
        {
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            idle.CancelAfter(idleTimeout);
            var read = 0;
            while (read < PayloadSize)
            {
                var n = await stream.ReadAsync(buffer.AsMemory(read), idle.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    return;
                }

                read += n;
            }

            await stream.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
    }
}

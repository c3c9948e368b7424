// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Encoding;
using Chhaya.P2p.Protocols;
using Chhaya.Safety;

namespace Chhaya.P2p.Kad;

/// <summary>Varint length-prefixed DHT messages on a stream (spec, "RPC messages").</summary>
public static class KadFraming
{
    public static Task WriteAsync(Stream stream, KadMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return LengthPrefixed.WriteAsync(stream, message.Encode(), cancellationToken);
    }

    /// <summary>Reads one message, or null when the stream ends cleanly before its first byte.</summary>
    /// <exception cref="MalformedInputException">Over <see cref="KadLimits.MaxMessageSize"/>, truncated, or not a valid message.</exception>
    public static async Task<KadMessage?> ReadAsync(Stream stream, KadLimits limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(limits);
        var length = await Varint.ReadAsync(stream, cancellationToken).ConfigureAwait(false);
        if (length is null)
        {
            return null;
        }

        if (length > (ulong)limits.MaxMessageSize)
        {
            throw new MalformedInputException($"DHT message of {length} bytes is over the limit of {limits.MaxMessageSize}");
        }

        var body = new byte[(int)length];
        try
        {
            await stream.ReadExactlyAsync(body, cancellationToken).ConfigureAwait(false);
        }
        catch (EndOfStreamException e)
        {
            throw new MalformedInputException("stream ended inside a DHT message", e);
        }

        return KadMessage.Decode(body, limits);
    }
}

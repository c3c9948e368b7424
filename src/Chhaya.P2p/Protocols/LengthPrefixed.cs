// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.P2p.Encoding;
using Chhaya.Safety;

namespace Chhaya.P2p.Protocols;

/// <summary>Varint-length-prefixed messages on a stream, as identify and most libp2p protocols use them.</summary>
public static class LengthPrefixed
{
    public static async Task WriteAsync(Stream stream, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var buffer = new byte[Varint.SizeOf((ulong)message.Length) + message.Length];
        var n = Varint.Write((ulong)message.Length, buffer);
        message.Span.CopyTo(buffer.AsSpan(n));
        await stream.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads one message of at most <paramref name="maxLength"/> bytes.</summary>
    /// <exception cref="MalformedInputException">Over the limit, or the stream ended early.</exception>
    public static async Task<byte[]> ReadAsync(Stream stream, int maxLength, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var length = await Varint.ReadAsync(stream, cancellationToken).ConfigureAwait(false)
            ?? throw new MalformedInputException("stream ended before a length-prefixed message");
        if (length > (ulong)maxLength)
        {
            throw new MalformedInputException($"message of {length} bytes is over the limit of {maxLength}");
        }

        var body = new byte[(int)length];
        try
        {
            await stream.ReadExactlyAsync(body, cancellationToken).ConfigureAwait(false);
        }
        catch (EndOfStreamException e)
        {
            throw new MalformedInputException("stream ended inside a length-prefixed message", e);
        }

        return body;
    }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Buffers.Binary;
using Chhaya.Messaging.Sealed;
using Chhaya.Safety;

namespace Chhaya.Messaging.Transport;

/// <summary>
/// Frames on the messaging streams. <c>/chhaya/msg/1.0.0</c>: the sender writes <c>u32 length ‖ envelope</c> frames,
/// and after each the receiver answers one status byte (<see cref="Accepted"/> or <see cref="Refused"/>); the sender
/// closes its side when done. <c>/chhaya/prekeys/1.0.0</c>: the server writes <c>u32 length ‖ bundle</c> and closes.
/// A length is checked before anything is allocated: an envelope frame must be exactly a bucket size.
/// </summary>
public static class EnvelopeFraming
{
    public const byte Accepted = 0;
    public const byte Refused = 1;

    public static async Task WriteFrameAsync(Stream stream, ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var prefix = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(prefix, (uint)frame.Length);
        await stream.WriteAsync(prefix, cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads one envelope frame, or null at a clean end of stream before a frame.</summary>
    /// <exception cref="MalformedInputException">The length is not a bucket size, or the stream ends inside a frame.</exception>
    public static Task<byte[]?> ReadEnvelopeAsync(Stream stream, CancellationToken cancellationToken) =>
        ReadFrameAsync(stream, PaddingBuckets.IsBucket, "an envelope frame must be a bucket size", cancellationToken);

    /// <summary>Reads one frame of at most <paramref name="maxLength"/> bytes, or null at a clean end of stream.</summary>
    /// <exception cref="MalformedInputException">Over the limit, or the stream ends inside a frame.</exception>
    public static Task<byte[]?> ReadBoundedAsync(Stream stream, int maxLength, CancellationToken cancellationToken) =>
        ReadFrameAsync(stream, length => length <= maxLength, $"a frame is at most {maxLength} bytes", cancellationToken);

    private static async Task<byte[]?> ReadFrameAsync(Stream stream, Func<int, bool> lengthOk, string rule, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var prefix = new byte[4];
        var read = await stream.ReadAtLeastAsync(prefix, 4, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            return null;
        }

        if (read < 4)
        {
            throw new MalformedInputException("The stream ended inside a frame length.");
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(prefix);
        if (length > int.MaxValue || !lengthOk((int)length))
        {
            throw new MalformedInputException($"Frame length {length} refused: {rule}.");
        }

        var frame = new byte[length];
        try
        {
            await stream.ReadExactlyAsync(frame, cancellationToken).ConfigureAwait(false);
        }
        catch (EndOfStreamException e)
        {
            throw new MalformedInputException("The stream ended inside a frame.", e);
        }

        return frame;
    }
}

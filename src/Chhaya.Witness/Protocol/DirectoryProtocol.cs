// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Buffers.Binary;
using Chhaya.P2p.Encoding;
using Chhaya.Safety;
using Chhaya.Vkd.Core;

namespace Chhaya.Witness.Protocol;

/// <summary>What a directory request asks for.</summary>
public enum DirectoryRequestKind : byte
{
    /// <summary>The signed head of epoch <c>From</c> (176 bytes in the answer).</summary>
    Head = 1,

    /// <summary>The AKD-encoded append-only proof from epoch <c>From</c> to epoch <c>To</c>.</summary>
    AppendOnlyProof = 2,
}

/// <summary>How a directory request was answered.</summary>
public enum DirectoryResponseStatus : byte
{
    Ok = 0,
    NotFound = 1,
    BadRequest = 2,
    Busy = 3,
}

/// <summary>A request on <c>/chhaya/vkd/audit/1.0.0</c>.</summary>
public sealed record DirectoryRequest(DirectoryRequestKind Kind, Digest DirectoryId, ulong From, ulong To);

/// <summary>
/// The wire format of <c>/chhaya/vkd/audit/1.0.0</c>: one request and one response per stream, each an
/// unsigned-varint length prefix followed by the message, as libp2p request–response protocols do.
/// Request (50 bytes): <c>u8 version=1 ‖ u8 kind ‖ directory_id[32] ‖ u64be from ‖ u64be to</c>.
/// Response: <c>u8 status ‖ payload</c> (the signed head or the proof when the status is OK, a UTF-8
/// reason otherwise).
/// </summary>
public static class DirectoryProtocol
{
    public const string ProtocolId = "/chhaya/vkd/audit/1.0.0";

    public const byte Version = 1;

    public const int RequestLength = 2 + Digest.Length + 16;

    /// <summary>Largest response a client accepts by default; checked before anything is allocated.</summary>
    public const int DefaultMaxResponseLength = 64 << 20;

    /// <summary>Most epochs one append-only proof request may span, bounding the server's work.</summary>
    public const ulong MaxProofSpan = 1024;

    public static byte[] EncodeRequest(DirectoryRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var message = new byte[RequestLength];
        message[0] = Version;
        message[1] = (byte)request.Kind;
        request.DirectoryId.CopyTo(message.AsSpan(2, Digest.Length));
        BinaryPrimitives.WriteUInt64BigEndian(message.AsSpan(2 + Digest.Length), request.From);
        BinaryPrimitives.WriteUInt64BigEndian(message.AsSpan(10 + Digest.Length), request.To);
        return message;
    }

    /// <exception cref="MalformedInputException">Not a version-1 request of a known kind.</exception>
    public static DirectoryRequest DecodeRequest(ReadOnlySpan<byte> message)
    {
        if (message.Length != RequestLength)
        {
            throw new MalformedInputException($"A directory request is {RequestLength} bytes, not {message.Length}.");
        }

        if (message[0] != Version)
        {
            throw new MalformedInputException($"Unsupported directory request version {message[0]}.");
        }

        var kind = (DirectoryRequestKind)message[1];
        if (!Enum.IsDefined(kind))
        {
            throw new MalformedInputException($"Unknown directory request kind {message[1]}.");
        }

        return new DirectoryRequest(
            kind,
            new Digest(message.Slice(2, Digest.Length)),
            BinaryPrimitives.ReadUInt64BigEndian(message[(2 + Digest.Length)..]),
            BinaryPrimitives.ReadUInt64BigEndian(message[(10 + Digest.Length)..]));
    }

    /// <summary>Writes one length-prefixed message.</summary>
    public static async Task WriteMessageAsync(Stream stream, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var prefix = new byte[10];
        var length = Varint.Write((ulong)message.Length, prefix);
        await stream.WriteAsync(prefix.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync(message, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads one length-prefixed message of at most <paramref name="maxLength"/> bytes.</summary>
    /// <exception cref="MalformedInputException">The stream ended early or the message is over the bound.</exception>
    public static async Task<byte[]> ReadMessageAsync(Stream stream, int maxLength, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var length = await Varint.ReadAsync(stream, cancellationToken).ConfigureAwait(false)
            ?? throw new MalformedInputException("The stream ended before a message.");
        if (length > (ulong)maxLength)
        {
            throw new MalformedInputException($"A {length}-byte message is over the {maxLength}-byte limit.");
        }

        var message = new byte[(int)length];
        await stream.ReadExactlyAsync(message, cancellationToken).ConfigureAwait(false);
        return message;
    }

    internal static byte[] Response(DirectoryResponseStatus status, ReadOnlySpan<byte> payload)
    {
        var response = new byte[1 + payload.Length];
        response[0] = (byte)status;
        payload.CopyTo(response.AsSpan(1));
        return response;
    }

    internal static byte[] Response(DirectoryResponseStatus status, string reason) =>
        Response(status, System.Text.Encoding.UTF8.GetBytes(reason));
}

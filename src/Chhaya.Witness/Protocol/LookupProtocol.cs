// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Buffers.Binary;
using Chhaya.Safety;
using Chhaya.Vkd.Core;
using Chhaya.Vkd.Epochs;

namespace Chhaya.Witness.Protocol;

/// <summary>How a lookup request was answered.</summary>
public enum LookupResponseStatus : byte
{
    Ok = 0,
    NotFound = 1,
    BadRequest = 2,
    Busy = 3,
}

/// <summary>A request on <c>/chhaya/vkd/lookup/1.0.0</c>: the latest value of <paramref name="Label"/>.</summary>
public sealed record LookupRequest(Digest DirectoryId, ReadOnlyMemory<byte> Label);

/// <summary>
/// An answer with status OK: the signed head of the directory's latest epoch, the AKD-encoded lookup proof
/// for the label at that epoch, and, when the serving node holds one, the quorum certificate over that head.
/// Every field is untrusted until Chhaya.Directory's verifier has accepted it.
/// </summary>
public sealed record LookupAnswer(ReadOnlyMemory<byte> SignedHead, ReadOnlyMemory<byte> LookupProof, ReadOnlyMemory<byte>? QuorumCertificate);

/// <summary>
/// The wire format of <c>/chhaya/vkd/lookup/1.0.0</c>: one request and one response per stream, each an
/// unsigned-varint length prefix followed by the message, framed exactly as <see cref="DirectoryProtocol"/>.
/// <code>
/// request  = u8 version=1 ‖ directory_id[32] ‖ u16be label_len (1..MaxLabelLength) ‖ label
/// response = u8 status ‖ body
///   status OK:   signed_head[176] ‖ u32be proof_len ‖ proof ‖ u32be cert_len ‖ cert   (cert_len 0 = none)
///   otherwise:   a UTF-8 reason
/// </code>
/// Every length is checked against its bound and against the bytes actually present before anything is copied.
/// </summary>
public static class LookupProtocol
{
    public const string ProtocolId = "/chhaya/vkd/lookup/1.0.0";

    public const byte Version = 1;

    /// <summary>Longest label a request may carry: handles are short, and the server hashes what it is sent.</summary>
    public const int MaxLabelLength = 256;

    /// <summary>Longest request on the wire.</summary>
    public const int MaxRequestLength = 1 + Digest.Length + 2 + MaxLabelLength;

    /// <summary>Largest lookup proof accepted; a real one is a few kilobytes (three VRF proofs and three trie paths).</summary>
    public const int MaxProofLength = 256 << 10;

    /// <summary>Largest quorum certificate accepted (head, bitmap and one aggregate signature).</summary>
    public const int MaxCertificateLength = 16 << 10;

    /// <summary>Largest response a client reads; checked before anything is allocated.</summary>
    public const int MaxResponseLength = 1 + SignedEpochHead.EncodedLength + 4 + MaxProofLength + 4 + MaxCertificateLength;

    public static byte[] EncodeRequest(LookupRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Label.Length is 0 or > MaxLabelLength)
        {
            throw new ArgumentException($"A label is 1 to {MaxLabelLength} bytes, not {request.Label.Length}.", nameof(request));
        }

        var message = new byte[1 + Digest.Length + 2 + request.Label.Length];
        message[0] = Version;
        request.DirectoryId.CopyTo(message.AsSpan(1, Digest.Length));
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(1 + Digest.Length), (ushort)request.Label.Length);
        request.Label.Span.CopyTo(message.AsSpan(3 + Digest.Length));
        return message;
    }

    /// <exception cref="MalformedInputException">Not a version-1 request with a label of allowed, exact length.</exception>
    public static LookupRequest DecodeRequest(ReadOnlySpan<byte> message)
    {
        if (message.Length < 3 + Digest.Length || message.Length > MaxRequestLength)
        {
            throw new MalformedInputException($"A lookup request is {3 + Digest.Length} to {MaxRequestLength} bytes, not {message.Length}.");
        }

        if (message[0] != Version)
        {
            throw new MalformedInputException($"Unsupported lookup request version {message[0]}.");
        }

        int labelLength = BinaryPrimitives.ReadUInt16BigEndian(message[(1 + Digest.Length)..]);
        if (labelLength is 0 or > MaxLabelLength || labelLength != message.Length - 3 - Digest.Length)
        {
            throw new MalformedInputException($"The lookup request's label length {labelLength} is out of bounds or does not match the message.");
        }

        return new LookupRequest(new Digest(message.Slice(1, Digest.Length)), message[(3 + Digest.Length)..].ToArray());
    }

    /// <summary>The full OK response, status byte included.</summary>
    public static byte[] EncodeAnswer(LookupAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var certificate = answer.QuorumCertificate ?? ReadOnlyMemory<byte>.Empty;
        if (answer.SignedHead.Length != SignedEpochHead.EncodedLength || answer.LookupProof.Length > MaxProofLength || certificate.Length > MaxCertificateLength)
        {
            throw new ArgumentException("The lookup answer's head, proof or certificate is over its bound.", nameof(answer));
        }

        var response = new byte[1 + SignedEpochHead.EncodedLength + 4 + answer.LookupProof.Length + 4 + certificate.Length];
        var span = response.AsSpan();
        span[0] = (byte)LookupResponseStatus.Ok;
        answer.SignedHead.Span.CopyTo(span[1..]);
        var at = 1 + SignedEpochHead.EncodedLength;
        BinaryPrimitives.WriteUInt32BigEndian(span[at..], (uint)answer.LookupProof.Length);
        answer.LookupProof.Span.CopyTo(span[(at + 4)..]);
        at += 4 + answer.LookupProof.Length;
        BinaryPrimitives.WriteUInt32BigEndian(span[at..], (uint)certificate.Length);
        certificate.Span.CopyTo(span[(at + 4)..]);
        return response;
    }

    /// <summary>Decodes the body of an OK response (the bytes after the status).</summary>
    /// <exception cref="MalformedInputException">A length is over its bound or disagrees with the bytes present.</exception>
    public static LookupAnswer DecodeAnswer(ReadOnlySpan<byte> body)
    {
        if (body.Length < SignedEpochHead.EncodedLength + 8)
        {
            throw new MalformedInputException($"A lookup answer is at least {SignedEpochHead.EncodedLength + 8} bytes, not {body.Length}.");
        }

        var head = body[..SignedEpochHead.EncodedLength].ToArray();
        var rest = body[SignedEpochHead.EncodedLength..];
        var proof = ReadField(ref rest, MaxProofLength, "lookup proof");
        var certificate = ReadField(ref rest, MaxCertificateLength, "quorum certificate");
        if (!rest.IsEmpty)
        {
            throw new MalformedInputException($"{rest.Length} bytes follow the lookup answer.");
        }

        return new LookupAnswer(head, proof, certificate.Length == 0 ? (ReadOnlyMemory<byte>?)null : certificate);
    }

    private static byte[] ReadField(ref ReadOnlySpan<byte> rest, int maxLength, string name)
    {
        if (rest.Length < 4)
        {
            throw new MalformedInputException($"The lookup answer ends before the {name} length.");
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(rest);
        if (length > (uint)maxLength || length > (uint)(rest.Length - 4))
        {
            throw new MalformedInputException($"The {name} length {length} is over the {maxLength}-byte bound or past the end.");
        }

        var field = rest.Slice(4, (int)length).ToArray();
        rest = rest[(4 + (int)length)..];
        return field;
    }

    internal static byte[] Response(LookupResponseStatus status, string reason)
    {
        var text = System.Text.Encoding.UTF8.GetBytes(reason);
        var response = new byte[1 + text.Length];
        response[0] = (byte)status;
        text.CopyTo(response.AsSpan(1));
        return response;
    }
}

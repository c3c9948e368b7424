// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Quorum;
using Chhaya.Safety;
using Chhaya.Vkd.Epochs;

namespace Chhaya.Witness.Gossip;

/// <summary>A co-signature as gossiped: the signed head it covers and the witness's signature on it.</summary>
public sealed record CoSignatureMessage(SignedEpochHead Head, CoSignature CoSignature);

/// <summary>A quorum certificate as gossiped: the signed head it certifies and the certificate.</summary>
public sealed record CertificateMessage(SignedEpochHead Head, QuorumCertificate Certificate);

/// <summary>
/// Byte layouts of the witness topics. Heads are the 176-byte signed head itself.
/// Co-signature: <c>u8 version=1 ‖ signed head[176] ‖ co-signature[145]</c> (the Quorum encoding).
/// Certificate: <c>u8 version=1 ‖ signed head[176] ‖ certificate</c> (the Quorum encoding, whose length
/// its member count fixes). Alerts carry an <see cref="Evidence.EvidenceBundle"/> encoding.
/// </summary>
public static class WitnessGossipCodec
{
    public const byte Version = 1;

    /// <summary>Largest certificate accepted on the wire: a full 4096-member quorum.</summary>
    public const int MaxCertificateMessageLength = 1 + SignedEpochHead.EncodedLength + 4096;

    public static byte[] EncodeCoSignature(SignedEpochHead head, CoSignature coSignature)
    {
        ArgumentNullException.ThrowIfNull(head);
        ArgumentNullException.ThrowIfNull(coSignature);
        var bytes = new byte[1 + SignedEpochHead.EncodedLength + CoSignature.EncodedLength];
        bytes[0] = Version;
        head.Encode().CopyTo(bytes, 1);
        coSignature.Encode().CopyTo(bytes, 1 + SignedEpochHead.EncodedLength);
        return bytes;
    }

    /// <exception cref="MalformedInputException">Wrong version or length, or an invalid head or signature encoding.</exception>
    public static CoSignatureMessage DecodeCoSignature(ReadOnlySpan<byte> data)
    {
        if (data.Length != 1 + SignedEpochHead.EncodedLength + CoSignature.EncodedLength || data[0] != Version)
        {
            throw new MalformedInputException($"A version-{Version} co-signature message is {1 + SignedEpochHead.EncodedLength + CoSignature.EncodedLength} bytes.");
        }

        var head = SignedEpochHead.Decode(data.Slice(1, SignedEpochHead.EncodedLength));
        try
        {
            return new CoSignatureMessage(head, CoSignature.Decode(data[(1 + SignedEpochHead.EncodedLength)..]));
        }
        catch (QuorumException e)
        {
            throw new MalformedInputException(e.Message, e);
        }
    }

    public static byte[] EncodeCertificate(SignedEpochHead head, QuorumCertificate certificate)
    {
        ArgumentNullException.ThrowIfNull(head);
        ArgumentNullException.ThrowIfNull(certificate);
        var qc = certificate.Encode();
        var bytes = new byte[1 + SignedEpochHead.EncodedLength + qc.Length];
        bytes[0] = Version;
        head.Encode().CopyTo(bytes, 1);
        qc.CopyTo(bytes, 1 + SignedEpochHead.EncodedLength);
        return bytes;
    }

    /// <exception cref="MalformedInputException">Wrong version, too long, or an invalid head or certificate encoding.</exception>
    public static CertificateMessage DecodeCertificate(ReadOnlySpan<byte> data)
    {
        if (data.Length <= 1 + SignedEpochHead.EncodedLength || data.Length > MaxCertificateMessageLength || data[0] != Version)
        {
            throw new MalformedInputException($"Not a version-{Version} certificate message of at most {MaxCertificateMessageLength} bytes.");
        }

        var head = SignedEpochHead.Decode(data.Slice(1, SignedEpochHead.EncodedLength));
        try
        {
            return new CertificateMessage(head, QuorumCertificate.Decode(data[(1 + SignedEpochHead.EncodedLength)..]));
        }
        catch (QuorumException e)
        {
            throw new MalformedInputException(e.Message, e);
        }
    }
}

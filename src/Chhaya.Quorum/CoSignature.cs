// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Bls;

namespace Chhaya.Quorum;

/// <summary>
/// One witness's BLS signature on a head (see <see cref="CoSignedMessage"/>).
/// </summary>
/// <remarks>
/// Canonical encoding, 145 bytes: version (1 byte, = 1) | signer public key (48, compressed G1) |
/// signature (96, compressed G2).
/// </remarks>
public sealed class CoSignature
{
    /// <summary>Encoding version.</summary>
    public const byte Version = 1;

    /// <summary>Length of the canonical encoding.</summary>
    public const int EncodedLength = 1 + BlsPublicKey.Length + BlsSignature.Length;

    public CoSignature(BlsPublicKey signer, BlsSignature signature)
    {
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentNullException.ThrowIfNull(signature);
        Signer = signer;
        Signature = signature;
    }

    public BlsPublicKey Signer { get; }

    public BlsSignature Signature { get; }

    /// <summary>Co-signs <paramref name="head"/> with a witness's secret key.</summary>
    public static CoSignature Create(BlsSecretKey key, ReadOnlySpan<byte> head)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new CoSignature(key.PublicKey, key.Sign(CoSignedMessage.For(head)));
    }

    /// <summary>True when the signature is the signer's on this head.</summary>
    public bool Verify(ReadOnlySpan<byte> head) => BlsSignatures.Verify(Signer, CoSignedMessage.For(head), Signature);

    public byte[] Encode()
    {
        var bytes = new byte[EncodedLength];
        bytes[0] = Version;
        Signer.Bytes.CopyTo(bytes.AsSpan(1));
        Signature.Bytes.CopyTo(bytes.AsSpan(1 + BlsPublicKey.Length));
        return bytes;
    }

    /// <exception cref="QuorumException">Wrong length or version, or an invalid key or signature encoding (<see cref="QuorumValidationError.Malformed"/>).</exception>
    public static CoSignature Decode(ReadOnlySpan<byte> encoded)
    {
        if (encoded.Length != EncodedLength || encoded[0] != Version)
        {
            throw new QuorumException(QuorumValidationError.Malformed, $"A version-1 co-signature is {EncodedLength} bytes.");
        }

        var keyStatus = BlsPublicKey.TryDecode(encoded.Slice(1, BlsPublicKey.Length), out var signer);
        var sigStatus = BlsSignature.TryDecode(encoded[(1 + BlsPublicKey.Length)..], out var signature);
        if (keyStatus != PointDecodeStatus.Ok || sigStatus != PointDecodeStatus.Ok)
        {
            throw new QuorumException(QuorumValidationError.Malformed, $"Invalid co-signature: key {keyStatus}, signature {sigStatus}.");
        }

        return new CoSignature(signer!, signature!);
    }
}

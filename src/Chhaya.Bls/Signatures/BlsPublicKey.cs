// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Bls.Curves;
using Chhaya.Safety;

namespace Chhaya.Bls;

/// <summary>
/// A BLS public key: a point of G1 that passed KeyValidate (draft-irtf-cfrg-bls-signature-05 section
/// 2.5): a valid encoding, in the prime-order subgroup, and not the identity. An instance is always
/// valid; there is no way to build an unchecked one from bytes.
/// </summary>
public sealed class BlsPublicKey : IEquatable<BlsPublicKey>
{
    /// <summary>Size of the compressed encoding.</summary>
    public const int Length = PointCodec.G1Compressed;

    private readonly byte[] _compressed;

    internal BlsPublicKey(in G1Projective point)
    {
        // Kept with Z = 1 (decoded keys already are), so that sums of keys take mixed additions.
        Point = point.Normalize();
        _compressed = new byte[Length];
        PointCodec.EncodeG1(point, _compressed);
    }

    internal G1Projective Point { get; }

    /// <summary>The 48-byte compressed encoding.</summary>
    public ReadOnlySpan<byte> Bytes => _compressed;

    /// <summary>Decodes and validates a compressed (48-byte) or uncompressed (96-byte) public key.</summary>
    /// <exception cref="MalformedInputException">The bytes are not a valid public key; the message says why.</exception>
    public static BlsPublicKey Decode(ReadOnlySpan<byte> encoded)
    {
        var status = TryDecode(encoded, out var key);
        return key ?? throw new MalformedInputException($"Invalid BLS public key: {Describe(status)}.");
    }

    /// <summary>Decodes and validates a public key; returns <see cref="PointDecodeStatus.Ok"/> or the reason it was refused.</summary>
    /// <remarks>The identity point decodes as a point but fails KeyValidate and is reported as <see cref="PointDecodeStatus.IdentityPoint"/>.</remarks>
    public static PointDecodeStatus TryDecode(ReadOnlySpan<byte> encoded, out BlsPublicKey? key)
    {
        key = null;
        var status = PointCodec.DecodeG1(encoded, out var point);
        if (status != PointDecodeStatus.Ok)
        {
            return status;
        }

        if (point.IsIdentity)
        {
            return PointDecodeStatus.IdentityPoint;
        }

        key = new BlsPublicKey(point);
        return PointDecodeStatus.Ok;
    }

    /// <summary>The encoding in hex, for logs and diagnostics (public keys are not secret).</summary>
    public override string ToString() => Convert.ToHexStringLower(_compressed);

    public bool Equals(BlsPublicKey? other) => other is not null && _compressed.AsSpan().SequenceEqual(other._compressed);

    public override bool Equals(object? obj) => Equals(obj as BlsPublicKey);

    public override int GetHashCode() => BitConverter.ToInt32(_compressed, Length - 4);

    internal static string Describe(PointDecodeStatus status) => status switch
    {
        PointDecodeStatus.BadLength => "wrong length for its compression flag",
        PointDecodeStatus.BadFlags => "inconsistent flag bits",
        PointDecodeStatus.NonCanonicalCoordinate => "a coordinate is not below the field modulus",
        PointDecodeStatus.NotOnCurve => "not a point on the curve",
        PointDecodeStatus.NotInSubgroup => "not in the prime-order subgroup",
        PointDecodeStatus.IdentityPoint => "the identity point is not a valid key",
        _ => status.ToString(),
    };
}

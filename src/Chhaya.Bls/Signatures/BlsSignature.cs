// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Bls.Curves;
using Chhaya.Safety;

namespace Chhaya.Bls;

/// <summary>
/// A BLS signature (or aggregate signature, or proof of possession): a point of G2 that passed
/// signature_subgroup_check. The identity is a valid group element and decodes, but never verifies
/// against a valid key.
/// </summary>
public sealed class BlsSignature : IEquatable<BlsSignature>
{
    /// <summary>Size of the compressed encoding.</summary>
    public const int Length = PointCodec.G2Compressed;

    private readonly byte[] _compressed;

    internal BlsSignature(in G2Projective point)
    {
        Point = point;
        _compressed = new byte[Length];
        PointCodec.EncodeG2(point, _compressed);
    }

    internal G2Projective Point { get; }

    /// <summary>The 96-byte compressed encoding.</summary>
    public ReadOnlySpan<byte> Bytes => _compressed;

    /// <summary>Decodes and checks a compressed (96-byte) or uncompressed (192-byte) signature.</summary>
    /// <exception cref="MalformedInputException">The bytes are not a valid signature; the message says why.</exception>
    public static BlsSignature Decode(ReadOnlySpan<byte> encoded)
    {
        var status = TryDecode(encoded, out var signature);
        return signature ?? throw new MalformedInputException($"Invalid BLS signature: {BlsPublicKey.Describe(status)}.");
    }

    public static PointDecodeStatus TryDecode(ReadOnlySpan<byte> encoded, out BlsSignature? signature)
    {
        signature = null;
        var status = PointCodec.DecodeG2(encoded, out var point);
        if (status == PointDecodeStatus.Ok)
        {
            signature = new BlsSignature(point);
        }

        return status;
    }

    public override string ToString() => Convert.ToHexStringLower(_compressed);

    public bool Equals(BlsSignature? other) => other is not null && _compressed.AsSpan().SequenceEqual(other._compressed);

    public override bool Equals(object? obj) => Equals(obj as BlsSignature);

    public override int GetHashCode() => BitConverter.ToInt32(_compressed, Length - 4);
}

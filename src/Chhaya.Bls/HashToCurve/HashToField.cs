// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Buffers.Binary;
using Chhaya.Bls.Fields;

namespace Chhaya.Bls.HashToCurve;

/// <summary>
/// hash_to_field (RFC 9380 section 5.2) for BLS12-381: L = 64 bytes per base-field element
/// (ceil((381 + 128) / 8)), reduced modulo p without big integers.
/// </summary>
internal static class HashToField
{
    public const int L = 64;

    /// <summary>2^256 (which is below p) in Montgomery form.</summary>
    private static readonly Fp TwoTo256 = Fp.FromCanonicalLimbs(0, 0, 0, 0, 1, 0);

    public static void ToFp(ReadOnlySpan<byte> message, ReadOnlySpan<byte> dst, Span<Fp> output)
    {
        Span<byte> uniform = stackalloc byte[output.Length * L];
        ExpandMessageXmd.Expand(message, dst, uniform);
        for (var i = 0; i < output.Length; i++)
        {
            output[i] = Reduce(uniform.Slice(i * L, L));
        }
    }

    public static void ToFp2(ReadOnlySpan<byte> message, ReadOnlySpan<byte> dst, Span<Fp2> output)
    {
        Span<byte> uniform = stackalloc byte[output.Length * 2 * L];
        ExpandMessageXmd.Expand(message, dst, uniform);
        for (var i = 0; i < output.Length; i++)
        {
            output[i] = new Fp2(Reduce(uniform.Slice(2 * i * L, L)), Reduce(uniform.Slice(((2 * i) + 1) * L, L)));
        }
    }

    /// <summary>
    /// A 512-bit big-endian integer modulo p: write it as hi·2^256 + lo with both halves below 2^256 &lt; p,
    /// convert each half to Montgomery form, and combine with the constant 2^256 mod p.
    /// </summary>
    internal static Fp Reduce(ReadOnlySpan<byte> bytes)
    {
        var hi = FromUInt256(bytes[..32]);
        var lo = FromUInt256(bytes[32..]);
        return Fp.Add(Fp.Mul(hi, TwoTo256), lo);
    }

    private static Fp FromUInt256(ReadOnlySpan<byte> b) => Fp.FromCanonicalLimbs(
        BinaryPrimitives.ReadUInt64BigEndian(b[24..]),
        BinaryPrimitives.ReadUInt64BigEndian(b[16..]),
        BinaryPrimitives.ReadUInt64BigEndian(b[8..]),
        BinaryPrimitives.ReadUInt64BigEndian(b),
        0,
        0);
}

// SPDX-License-Identifier: AGPL-3.0-or-later
namespace Chhaya.Crypto;

/// <summary>
/// Byte-level checks on edwards25519 encodings (RFC 8032 §5.1.2, §5.1.3) that need no curve arithmetic.
/// All are on public data, so they may branch.
/// </summary>
internal static class Ed25519Encoding
{
    /// <summary>p = 2^255 − 19, little-endian.</summary>
    private static ReadOnlySpan<byte> FieldPrime =>
    [
        0xed, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f,
    ];

    /// <summary>L = 2^252 + 27742317777372353535851937790883648493, little-endian.</summary>
    internal static ReadOnlySpan<byte> GroupOrder =>
    [
        0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
    ];

    /// <summary>
    /// The y-coordinates (little-endian, sign bit clear) of the eight points of order dividing 8.
    /// A canonical encoding of a small-order point has one of these with either sign bit.
    /// </summary>
    private static readonly byte[][] SmallOrderY =
    [
        // y = 1: the identity (order 1).
        Hex("0100000000000000000000000000000000000000000000000000000000000000"),
        // y = p − 1: order 2.
        Hex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
        // y = 0: the two points of order 4.
        Hex("0000000000000000000000000000000000000000000000000000000000000000"),
        // The two y-values of the four points of order 8.
        Hex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"),
        Hex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"),
    ];

    /// <summary>True when the 32 bytes encode y &lt; p (the sign bit is ignored here).</summary>
    public static bool IsCanonicalPoint(ReadOnlySpan<byte> encoded)
    {
        if (encoded.Length != 32)
        {
            return false;
        }

        Span<byte> y = stackalloc byte[32];
        encoded.CopyTo(y);
        y[31] &= 0x7f;
        return LessThan(y, FieldPrime);
    }

    /// <summary>True when the 32 bytes are a little-endian integer below the group order L.</summary>
    public static bool IsCanonicalScalar(ReadOnlySpan<byte> scalar) => scalar.Length == 32 && LessThan(scalar, GroupOrder);

    /// <summary>True when a canonical encoding names a point of order 1, 2, 4 or 8.</summary>
    public static bool IsSmallOrderEncoding(ReadOnlySpan<byte> encoded)
    {
        Span<byte> y = stackalloc byte[32];
        encoded.CopyTo(y);
        y[31] &= 0x7f;
        foreach (var candidate in SmallOrderY)
        {
            if (y.SequenceEqual(candidate))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Little-endian comparison a &lt; b for equal-length spans (public data only).</summary>
    internal static bool LessThan(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        for (var i = a.Length - 1; i >= 0; i--)
        {
            if (a[i] != b[i])
            {
                return a[i] < b[i];
            }
        }

        return false;
    }

    private static byte[] Hex(string hex) => Convert.FromHexString(hex);
}

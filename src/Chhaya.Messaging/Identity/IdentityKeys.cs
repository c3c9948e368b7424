// SPDX-License-Identifier: AGPL-3.0-or-later
using System.Numerics;
using Chhaya.Crypto;
using Chhaya.Safety;

namespace Chhaya.Messaging.Identity;

/// <summary>
/// The one identity key a user has is an Ed25519 key; PQXDH's DH1/DH2 and sealed sender need X25519 with the same
/// identity. This maps an Ed25519 public key to its X25519 (Montgomery) form, u = (1 + y) / (1 − y) mod p, the
/// birational map of RFC 7748 §4.1. The private side is the clamped scalar Ed25519 itself uses, so both forms are
/// one key pair. Using one key for both signing and DH is what Signal does with XEdDSA in the other direction,
/// and joint security of Ed25519 and X25519 with the same key is established in the literature (Thormarker 2021).
/// </summary>
/// <remarks>
/// All inputs are public keys, so this arithmetic may branch and use <see cref="BigInteger"/>; the two
/// exponentiations run on <see cref="Curve25519Pow"/> (BigInteger.ModPow cost about 180 µs each, most of a
/// handshake's time outside the curve operations).
/// </remarks>
public static class IdentityKeys
{
    internal static readonly BigInteger P = BigInteger.Pow(2, 255) - 19;

    // d = -121665 / 121666 mod p (RFC 8032 §5.1).
    private static readonly BigInteger D = Mod(-121665 * BigInteger.ModPow(121666, P - 2, P));

    /// <summary>
    /// Writes the X25519 public key of the Ed25519 public key <paramref name="edPublicKey"/>. Returns false for
    /// anything that is not a canonical encoding of a point on the curve, and for y = 1 (the neutral element,
    /// which has no Montgomery image).
    /// </summary>
    public static bool TryToX25519(ReadOnlySpan<byte> edPublicKey, Span<byte> x25519PublicKey)
    {
        Guard.ExactLength(x25519PublicKey.Length, X25519.KeyLength, nameof(x25519PublicKey));
        x25519PublicKey.Clear();
        if (edPublicKey.Length != Ed25519.PublicKeyLength)
        {
            return false;
        }

        Span<byte> yBytes = stackalloc byte[32];
        edPublicKey.CopyTo(yBytes);
        yBytes[31] &= 0x7f;
        var y = new BigInteger(yBytes, isUnsigned: true, isBigEndian: false);
        if (y >= P || y.IsOne)
        {
            return false;
        }

        // The point exists iff x² = (y² − 1) / (d·y² + 1) is a square (Euler's criterion), RFC 8032 §5.1.3, and
        // u = (1 + y) / (1 − y). Both divisions share one inversion (Montgomery's trick): two ModPows, not three.
        var y2 = y * y % P;
        var den1 = Mod(D * y2 + 1);
        var den2 = Mod(1 - y);
        var inverse = Curve25519Pow.ModPow(den1 * den2 % P, P - 2);
        var x2 = Mod((y2 - 1) * (inverse * den2 % P));
        if (!x2.IsZero && Curve25519Pow.ModPow(x2, (P - 1) / 2) != BigInteger.One)
        {
            return false;
        }

        // x = 0 with the sign bit set is not a canonical encoding.
        if (x2.IsZero && (edPublicKey[31] & 0x80) != 0)
        {
            return false;
        }

        var u = Mod((1 + y) * (inverse * den1 % P));
        if (!u.TryWriteBytes(x25519PublicKey, out _, isUnsigned: true, isBigEndian: false))
        {
            return false;
        }

        return true;
    }

    /// <summary>The X25519 public key of an Ed25519 public key.</summary>
    /// <exception cref="MalformedInputException">The key is not a canonical Ed25519 point, or is the neutral element.</exception>
    public static byte[] ToX25519(ReadOnlySpan<byte> edPublicKey)
    {
        var result = new byte[X25519.KeyLength];
        if (!TryToX25519(edPublicKey, result))
        {
            throw new MalformedInputException("The identity key is not a canonical Ed25519 public key.");
        }

        return result;
    }

    private static BigInteger Mod(BigInteger value)
    {
        var r = value % P;
        return r.Sign < 0 ? r + P : r;
    }
}

// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Bls.Fields;
using Chhaya.Safety;

namespace Chhaya.Bls.Curves;

/// <summary>
/// The ZCash serialization of BLS12-381 points, used by the IETF BLS signature drafts, Ethereum and
/// blst: big-endian coordinates (an Fp2 value as c1 then c0) with three flag bits in the top of the
/// first byte: 0x80 compressed, 0x40 point at infinity, 0x20 y is the lexicographically larger root.
/// </summary>
/// <remarks>
/// Decoding checks, in order: the length matches the compression flag; the infinity encoding is
/// exactly the flag byte followed by zeros with no sign bit; an uncompressed point has no sign bit;
/// every coordinate is below p (no second encoding of one point); the point is on the curve; and it
/// lies in the order-r subgroup. Any failure is reported as a <see cref="PointDecodeStatus"/>.
/// </remarks>
internal static class PointCodec
{
    public const int G1Compressed = 48;
    public const int G1Uncompressed = 96;
    public const int G2Compressed = 96;
    public const int G2Uncompressed = 192;

    private const byte CompressionFlag = 0x80;
    private const byte InfinityFlag = 0x40;
    private const byte SignFlag = 0x20;
    private const byte FlagMask = 0xe0;

    public static PointDecodeStatus DecodeG1(ReadOnlySpan<byte> input, out G1Projective point)
    {
        point = G1Projective.Identity;
        if (input.Length != G1Compressed && input.Length != G1Uncompressed)
        {
            return PointDecodeStatus.BadLength;
        }

        var flags = CheckFlags(input, input.Length == G1Compressed, out var status);
        if (status != PointDecodeStatus.Ok || (flags & InfinityFlag) != 0)
        {
            return status;
        }

        Span<byte> buffer = stackalloc byte[Fp.ByteLength];
        input[..Fp.ByteLength].CopyTo(buffer);
        buffer[0] &= unchecked((byte)~FlagMask);
        if (!Fp.TryFromBytes(buffer, out var x))
        {
            return PointDecodeStatus.NonCanonicalCoordinate;
        }

        Fp y;
        if (input.Length == G1Compressed)
        {
            var rhs = Fp.Add(Fp.Mul(Fp.Square(x), x), G1Curve.MulByB(Fp.One));
            if (!Fp.TrySqrt(rhs, out y))
            {
                return PointDecodeStatus.NotOnCurve;
            }

            if (y.IsLexicographicallyLargest != ((flags & SignFlag) != 0))
            {
                y = Fp.Neg(y);
            }
        }
        else if (!Fp.TryFromBytes(input[Fp.ByteLength..], out y))
        {
            return PointDecodeStatus.NonCanonicalCoordinate;
        }

        var candidate = G1Projective.FromAffine(x, y);
        if (!candidate.IsOnCurve)
        {
            return PointDecodeStatus.NotOnCurve;
        }

        if (!G1.IsInSubgroup(candidate))
        {
            return PointDecodeStatus.NotInSubgroup;
        }

        point = candidate;
        return PointDecodeStatus.Ok;
    }

    public static PointDecodeStatus DecodeG2(ReadOnlySpan<byte> input, out G2Projective point)
    {
        point = G2Projective.Identity;
        if (input.Length != G2Compressed && input.Length != G2Uncompressed)
        {
            return PointDecodeStatus.BadLength;
        }

        var flags = CheckFlags(input, input.Length == G2Compressed, out var status);
        if (status != PointDecodeStatus.Ok || (flags & InfinityFlag) != 0)
        {
            return status;
        }

        Span<byte> buffer = stackalloc byte[Fp.ByteLength];
        input[..Fp.ByteLength].CopyTo(buffer);
        buffer[0] &= unchecked((byte)~FlagMask);
        if (!Fp.TryFromBytes(buffer, out var x1) || !Fp.TryFromBytes(input.Slice(Fp.ByteLength, Fp.ByteLength), out var x0))
        {
            return PointDecodeStatus.NonCanonicalCoordinate;
        }

        var x = new Fp2(x0, x1);
        Fp2 y;
        if (input.Length == G2Compressed)
        {
            var rhs = Fp2.Add(Fp2.Mul(Fp2.Square(x), x), G2Curve.MulByB(Fp2.One));
            if (!Fp2.TrySqrt(rhs, out y))
            {
                return PointDecodeStatus.NotOnCurve;
            }

            if (y.IsLexicographicallyLargest != ((flags & SignFlag) != 0))
            {
                y = Fp2.Neg(y);
            }
        }
        else
        {
            if (!Fp.TryFromBytes(input.Slice(2 * Fp.ByteLength, Fp.ByteLength), out var y1)
                || !Fp.TryFromBytes(input.Slice(3 * Fp.ByteLength, Fp.ByteLength), out var y0))
            {
                return PointDecodeStatus.NonCanonicalCoordinate;
            }

            y = new Fp2(y0, y1);
        }

        var candidate = G2Projective.FromAffine(x, y);
        if (!candidate.IsOnCurve)
        {
            return PointDecodeStatus.NotOnCurve;
        }

        if (!G2.IsInSubgroup(candidate))
        {
            return PointDecodeStatus.NotInSubgroup;
        }

        point = candidate;
        return PointDecodeStatus.Ok;
    }

    public static void EncodeG1(in G1Projective point, Span<byte> destination, bool compressed = true)
    {
        Guard.ExactLength(destination.Length, compressed ? G1Compressed : G1Uncompressed);
        destination.Clear();
        if (!point.TryToAffine(out var x, out var y))
        {
            destination[0] = (byte)(InfinityFlag | (compressed ? CompressionFlag : 0));
            return;
        }

        x.WriteBytes(destination[..Fp.ByteLength]);
        if (compressed)
        {
            destination[0] |= (byte)(CompressionFlag | (y.IsLexicographicallyLargest ? SignFlag : 0));
        }
        else
        {
            y.WriteBytes(destination[Fp.ByteLength..]);
        }
    }

    public static void EncodeG2(in G2Projective point, Span<byte> destination, bool compressed = true)
    {
        Guard.ExactLength(destination.Length, compressed ? G2Compressed : G2Uncompressed);
        destination.Clear();
        if (!point.TryToAffine(out var x, out var y))
        {
            destination[0] = (byte)(InfinityFlag | (compressed ? CompressionFlag : 0));
            return;
        }

        x.C1.WriteBytes(destination[..Fp.ByteLength]);
        x.C0.WriteBytes(destination.Slice(Fp.ByteLength, Fp.ByteLength));
        if (compressed)
        {
            destination[0] |= (byte)(CompressionFlag | (y.IsLexicographicallyLargest ? SignFlag : 0));
        }
        else
        {
            y.C1.WriteBytes(destination.Slice(2 * Fp.ByteLength, Fp.ByteLength));
            y.C0.WriteBytes(destination.Slice(3 * Fp.ByteLength, Fp.ByteLength));
        }
    }

    /// <summary>
    /// Validates the flag bits against the length; for a valid infinity encoding returns its flags with
    /// <see cref="PointDecodeStatus.Ok"/> and the caller stops there with the identity.
    /// </summary>
    private static byte CheckFlags(ReadOnlySpan<byte> input, bool isCompressedLength, out PointDecodeStatus status)
    {
        var flags = (byte)(input[0] & FlagMask);
        var compressed = (flags & CompressionFlag) != 0;
        if (compressed != isCompressedLength)
        {
            status = PointDecodeStatus.BadLength;
            return flags;
        }

        if ((flags & InfinityFlag) != 0)
        {
            // Infinity: no sign bit, and every other bit zero.
            var clean = (flags & SignFlag) == 0 && (input[0] & ~FlagMask) == 0 && !input[1..].ContainsAnyExcept((byte)0);
            status = clean ? PointDecodeStatus.Ok : PointDecodeStatus.BadFlags;
            return flags;
        }

        if (!compressed && (flags & SignFlag) != 0)
        {
            status = PointDecodeStatus.BadFlags;
            return flags;
        }

        status = PointDecodeStatus.Ok;
        return flags;
    }
}

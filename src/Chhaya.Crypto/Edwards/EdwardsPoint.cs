// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Safety;
using static Chhaya.Crypto.Edwards.FieldElement;

namespace Chhaya.Crypto.Edwards;

/// <summary>
/// A point of edwards25519 (−x² + y² = 1 + d·x²·y²) in extended coordinates (X : Y : Z : T), x = X/Z,
/// y = Y/Z, x·y = T/Z, with the complete addition formulas of RFC 8032 §5.1.4 (Hisil–Wong–Carter–Dawson).
/// </summary>
internal readonly struct EdwardsPoint
{
    public readonly FieldElement X;
    public readonly FieldElement Y;
    public readonly FieldElement Z;
    public readonly FieldElement T;

    public EdwardsPoint(in FieldElement x, in FieldElement y, in FieldElement z, in FieldElement t)
    {
        X = x;
        Y = y;
        Z = z;
        T = t;
    }

    /// <summary>The neutral element (0, 1).</summary>
    public static EdwardsPoint Identity => new(Zero, One, One, Zero);

    /// <summary>The base point B of RFC 8032 §5.1 (y = 4/5, x even).</summary>
    public static readonly EdwardsPoint Base = DecodeBase();

    /// <summary>Complete addition (also valid for doubling and the identity).</summary>
    public static EdwardsPoint Add(in EdwardsPoint p, in EdwardsPoint q)
    {
        var a = Mul(Sub(p.Y, p.X), Sub(q.Y, q.X));
        var b = Mul(FieldElement.Add(p.Y, p.X), FieldElement.Add(q.Y, q.X));
        var c = Mul(Mul(p.T, D2), q.T);
        var zz = Mul(p.Z, q.Z);
        var d = FieldElement.Add(zz, zz);
        var e = Sub(b, a);
        var f = Sub(d, c);
        var g = FieldElement.Add(d, c);
        var h = FieldElement.Add(b, a);
        return new EdwardsPoint(Mul(e, f), Mul(g, h), Mul(f, g), Mul(e, h));
    }

    /// <summary>Doubling (RFC 8032 §5.1.4, "dbl-2008-hwcd").</summary>
    public static EdwardsPoint Double(in EdwardsPoint p)
    {
        var a = Square(p.X);
        var b = Square(p.Y);
        var zz = Square(p.Z);
        var c = FieldElement.Add(zz, zz);
        var h = FieldElement.Add(a, b);
        var e = Sub(h, Square(FieldElement.Add(p.X, p.Y)));
        var g = Sub(a, b);
        var f = FieldElement.Add(c, g);
        return new EdwardsPoint(Mul(e, f), Mul(g, h), Mul(f, g), Mul(e, h));
    }

    public static EdwardsPoint Negate(in EdwardsPoint p) => new(FieldElement.Negate(p.X), p.Y, p.Z, FieldElement.Negate(p.T));

    public static EdwardsPoint Subtract(in EdwardsPoint p, in EdwardsPoint q) => Add(p, Negate(q));

    /// <summary>[8]P, the cofactor multiple.</summary>
    public static EdwardsPoint MulByCofactor(in EdwardsPoint p) => Double(Double(Double(p)));

    /// <summary>True for the neutral element (X = 0 and Y = Z).</summary>
    public bool IsIdentity() => X.IsZero() && FieldElement.Equal(Y, Z);

    /// <summary>True when [8]P is the identity, i.e. P has order 1, 2, 4 or 8.</summary>
    public bool IsSmallOrder() => MulByCofactor(this).IsIdentity();

    public static bool Equal(in EdwardsPoint p, in EdwardsPoint q) =>
        FieldElement.Equal(Mul(p.X, q.Z), Mul(q.X, p.Z)) && FieldElement.Equal(Mul(p.Y, q.Z), Mul(q.Y, p.Z));

    public static EdwardsPoint Select(ulong mask, in EdwardsPoint whenOnes, in EdwardsPoint whenZero) => new(
        FieldElement.Select(mask, whenOnes.X, whenZero.X),
        FieldElement.Select(mask, whenOnes.Y, whenZero.Y),
        FieldElement.Select(mask, whenOnes.Z, whenZero.Z),
        FieldElement.Select(mask, whenOnes.T, whenZero.T));

    /// <summary>RFC 8032 §5.1.2 encoding: y little-endian with the sign of x in bit 255.</summary>
    public void Encode(Span<byte> destination)
    {
        Guard.ExactLength(destination.Length, 32, nameof(destination));
        EncodeWithInverse(InvertBlinded(Z), destination);
    }

    /// <summary>
    /// Encodes two points with one inversion (Montgomery's trick: 1/Z₁ = Z₂/(Z₁Z₂), 1/Z₂ = Z₁/(Z₁Z₂)), for
    /// signing, which needs both A = [s]B and R = [r]B. Z is never 0 for a point of this curve.
    /// </summary>
    public static void EncodeBoth(in EdwardsPoint p, in EdwardsPoint q, Span<byte> pDestination, Span<byte> qDestination)
    {
        Guard.ExactLength(pDestination.Length, 32, nameof(pDestination));
        Guard.ExactLength(qDestination.Length, 32, nameof(qDestination));
        var both = InvertBlinded(Mul(p.Z, q.Z));
        p.EncodeWithInverse(Mul(both, q.Z), pDestination);
        q.EncodeWithInverse(Mul(both, p.Z), qDestination);
    }

    private void EncodeWithInverse(in FieldElement zInv, Span<byte> destination)
    {
        var x = Mul(X, zInv);
        var y = Mul(Y, zInv);
        y.ToBytes(destination);
        destination[31] |= (byte)(x.IsNegative() << 7);
    }

    public byte[] Encode()
    {
        var bytes = new byte[32];
        Encode(bytes);
        return bytes;
    }

    /// <summary>
    /// Strict RFC 8032 §5.1.3 decoding: fails for y ≥ p, for a y with no x on the curve, and for x = 0 with the
    /// sign bit set. Runs on public data (keys, proofs, hash outputs) and may take variable time.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> encoded, out EdwardsPoint point)
    {
        point = Identity;
        if (encoded.Length != 32 || !IsCanonical(encoded))
        {
            return false;
        }

        var sign = encoded[31] >> 7;
        var y = FromBytes(encoded);
        var yy = Square(y);
        var u = Sub(yy, One); // y² − 1
        var v = FieldElement.Add(Mul(yy, D), One); // d·y² + 1

        // x = u·v³·(u·v⁷)^((p−5)/8), then fix up by sqrt(−1) if needed.
        var v3 = Mul(Square(v), v);
        var v7 = Mul(Square(v3), v);
        var x = Mul(Mul(u, v3), Pow22523(Mul(u, v7)));
        var vxx = Mul(v, Square(x));
        if (!FieldElement.Equal(vxx, u))
        {
            if (!FieldElement.Equal(vxx, FieldElement.Negate(u)))
            {
                return false;
            }

            x = Mul(x, SqrtMinusOne);
        }

        if (x.IsZero() && sign == 1)
        {
            return false;
        }

        if (x.IsNegative() != sign)
        {
            x = FieldElement.Negate(x);
        }

        point = new EdwardsPoint(x, y, One, Mul(x, y));
        return true;
    }

    /// <summary>This point plus a (projective) Niels addend: four multiplications (RFC 8032 §5.1.4 with T·2d cached).</summary>
    public CompletedPoint AddNiels(in NielsPoint q)
    {
        var pp = Mul(FieldElement.Add(Y, X), q.YPlusX);
        var mm = Mul(Sub(Y, X), q.YMinusX);
        var tt2d = Mul(T, q.T2d);
        var zz = Mul(Z, q.Z);
        var zz2 = FieldElement.Add(zz, zz);
        return new CompletedPoint(Sub(pp, mm), FieldElement.Add(pp, mm), FieldElement.Add(zz2, tt2d), Sub(zz2, tt2d));
    }

    /// <summary>This point plus an affine Niels addend (Z = 1, ignored): three multiplications.</summary>
    public CompletedPoint AddAffine(in NielsPoint q)
    {
        var pp = Mul(FieldElement.Add(Y, X), q.YPlusX);
        var mm = Mul(Sub(Y, X), q.YMinusX);
        var tt2d = Mul(T, q.T2d);
        var z2 = FieldElement.Add(Z, Z);
        return new CompletedPoint(Sub(pp, mm), FieldElement.Add(pp, mm), FieldElement.Add(z2, tt2d), Sub(z2, tt2d));
    }

    /// <summary>This point minus an affine Niels point.</summary>
    public CompletedPoint SubAffine(in NielsPoint q)
    {
        var pm = Mul(FieldElement.Add(Y, X), q.YMinusX);
        var mp = Mul(Sub(Y, X), q.YPlusX);
        var tt2d = Mul(T, q.T2d);
        var z2 = FieldElement.Add(Z, Z);
        return new CompletedPoint(Sub(pm, mp), FieldElement.Add(pm, mp), Sub(z2, tt2d), FieldElement.Add(z2, tt2d));
    }

    /// <summary>This point minus a projective Niels point.</summary>
    public CompletedPoint SubNiels(in NielsPoint q)
    {
        var pm = Mul(FieldElement.Add(Y, X), q.YMinusX);
        var mp = Mul(Sub(Y, X), q.YPlusX);
        var tt2d = Mul(T, q.T2d);
        var zz = Mul(Z, q.Z);
        var zz2 = FieldElement.Add(zz, zz);
        return new CompletedPoint(Sub(pm, mp), FieldElement.Add(pm, mp), Sub(zz2, tt2d), FieldElement.Add(zz2, tt2d));
    }

    /// <summary>Drops T (free) for a following doubling.</summary>
    public ProjectivePoint ToProjective() => new(X, Y, Z);

    /// <summary>[16]P by four doublings that skip T until the last.</summary>
    private static EdwardsPoint MulBy16(in EdwardsPoint p) =>
        p.ToProjective().Double().ToProjective().Double().ToProjective().Double().ToProjective().Double().ToExtended();

    /// <summary>
    /// The Montgomery u-coordinate (1 + y)/(1 − y) = (Z + Y)/(Z − Y) of this point under the birational map of
    /// RFC 7748 §4.1, as 32 little-endian bytes (0 for the identity, as a ladder would give).
    /// </summary>
    public void ToMontgomeryU(Span<byte> destination)
    {
        var u = Mul(FieldElement.Add(Z, Y), InvertBlinded(Sub(Z, Y)));
        u.ToBytes(destination);
    }

    /// <summary>
    /// [k]P for a 32-byte little-endian scalar k &lt; 2^255, in constant time: signed radix-16 digits, a table
    /// of 1·P … 8·P read in full at every step (<see cref="NielsPoint.LookupSigned"/>), 252 doublings and 64
    /// additions whatever the scalar.
    /// </summary>
    public static EdwardsPoint ScalarMul(ReadOnlySpan<byte> scalar, in EdwardsPoint p)
    {
        Guard.ExactLength(scalar.Length, 32, nameof(scalar));
        Span<sbyte> digits = stackalloc sbyte[64];
        Span<NielsPoint> table = stackalloc NielsPoint[8];
        try
        {
            ScalarRecoding.SignedRadix16(scalar, digits);
            table[0] = NielsPoint.From(p);
            var multiple = p;
            for (var j = 1; j < 8; j++)
            {
                multiple = multiple.AddNiels(table[0]).ToExtended();
                table[j] = NielsPoint.From(multiple);
            }

            var q = Identity.AddNiels(NielsPoint.LookupSigned(table, digits[63])).ToExtended();
            for (var i = 62; i >= 0; i--)
            {
                q = MulBy16(q).AddNiels(NielsPoint.LookupSigned(table, digits[i])).ToExtended();
            }

            return q;
        }
        finally
        {
            digits.Clear();
            table.Clear();
        }
    }

    /// <summary>
    /// [k]B for the base point and k &lt; 2^255, in constant time, from the comb table: with signed radix-16
    /// digits eᵢ, [k]B = 16·Σ_{i odd} [eᵢ](256^((i−1)/2)·B) + Σ_{i even} [eᵢ](256^(i/2)·B), 64 mixed additions
    /// and four doublings; each digit's entry is read by scanning its whole row with mask selection
    /// (<see cref="PackedComb.LookupSigned"/>).
    /// </summary>
    public static EdwardsPoint ScalarMulBase(ReadOnlySpan<byte> scalar)
    {
        Guard.ExactLength(scalar.Length, 32, nameof(scalar));
        Span<sbyte> digits = stackalloc sbyte[64];
        try
        {
            ScalarRecoding.SignedRadix16(scalar, digits);
            var q = Identity;
            for (var i = 1; i < 64; i += 2)
            {
                q = q.AddAffine(PackedComb.LookupSigned(i / 2, digits[i])).ToExtended();
            }

            q = MulBy16(q);
            for (var i = 0; i < 64; i += 2)
            {
                q = q.AddAffine(PackedComb.LookupSigned(i / 2, digits[i])).ToExtended();
            }

            return q;
        }
        finally
        {
            digits.Clear();
        }
    }

    /// <summary>
    /// [a]P + [b]Q for PUBLIC scalars below 2^255 only (verification): width-5 non-adjacent forms, one shared
    /// chain of doublings, about 256/6 additions per scalar. Its time depends on the scalars; never call it
    /// with a secret.
    /// </summary>
    public static EdwardsPoint DoubleScalarMulVartime(ReadOnlySpan<byte> a, in EdwardsPoint p, ReadOnlySpan<byte> b, in EdwardsPoint q)
    {
        Span<sbyte> nafA = stackalloc sbyte[256];
        Span<sbyte> nafB = stackalloc sbyte[256];
        ScalarRecoding.NonAdjacentForm(a, nafA, 5);
        ScalarRecoding.NonAdjacentForm(b, nafB, 5);
        Span<NielsPoint> tableP = stackalloc NielsPoint[8];
        Span<NielsPoint> tableQ = stackalloc NielsPoint[8];
        FillOddMultiples(tableP, p);
        FillOddMultiples(tableQ, q);

        var i = 255;
        while (i >= 0 && nafA[i] == 0 && nafB[i] == 0)
        {
            i--;
        }

        var r = Identity;
        for (; i >= 0; i--)
        {
            r = r.ToProjective().Double().ToExtended();
            r = AddDigit(r, tableP, nafA[i], affine: false);
            r = AddDigit(r, tableQ, nafB[i], affine: false);
        }

        return r;
    }

    /// <summary>
    /// [a]P + [b]B for PUBLIC scalars below 2^255 only (signature and proof verification): width 5 for P and
    /// width 8 for B, whose odd multiples are precomputed. Variable time; never call it with a secret.
    /// </summary>
    public static EdwardsPoint DoubleScalarMulBaseVartime(ReadOnlySpan<byte> a, in EdwardsPoint p, ReadOnlySpan<byte> b)
    {
        Span<sbyte> nafA = stackalloc sbyte[256];
        Span<sbyte> nafB = stackalloc sbyte[256];
        ScalarRecoding.NonAdjacentForm(a, nafA, 5);
        ScalarRecoding.NonAdjacentForm(b, nafB, BaseTables.OddMultiplesWidth);
        Span<NielsPoint> tableP = stackalloc NielsPoint[8];
        FillOddMultiples(tableP, p);

        var i = 255;
        while (i >= 0 && nafA[i] == 0 && nafB[i] == 0)
        {
            i--;
        }

        var r = Identity;
        for (; i >= 0; i--)
        {
            r = r.ToProjective().Double().ToExtended();
            r = AddDigit(r, tableP, nafA[i], affine: false);
            r = AddDigit(r, BaseTables.OddMultiples, nafB[i], affine: true);
        }

        return r;
    }

    /// <summary>r + [digit]·P from a table of odd multiples (entry j is (2j + 1)·P); variable time.</summary>
    private static EdwardsPoint AddDigit(in EdwardsPoint r, ReadOnlySpan<NielsPoint> oddMultiples, int digit, bool affine)
    {
        if (digit > 0)
        {
            var entry = oddMultiples[digit >> 1];
            return (affine ? r.AddAffine(entry) : r.AddNiels(entry)).ToExtended();
        }

        if (digit < 0)
        {
            var entry = oddMultiples[(-digit) >> 1];
            return (affine ? r.SubAffine(entry) : r.SubNiels(entry)).ToExtended();
        }

        return r;
    }

    private static void FillOddMultiples(Span<NielsPoint> table, in EdwardsPoint p)
    {
        var twice = NielsPoint.From(Double(p));
        var current = p;
        for (var j = 0; j < table.Length; j++)
        {
            table[j] = NielsPoint.From(current);
            if (j + 1 < table.Length)
            {
                current = current.AddNiels(twice).ToExtended();
            }
        }
    }

    private static EdwardsPoint DecodeBase()
    {
        Span<byte> encoded = stackalloc byte[32];
        encoded.Fill(0x66);
        encoded[0] = 0x58;
        if (!TryDecode(encoded, out var b))
        {
            throw new InvalidOperationException("The edwards25519 base point failed to decode.");
        }

        return b;
    }
}

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

    private EdwardsPoint(in FieldElement x, in FieldElement y, in FieldElement z, in FieldElement t)
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
        var zInv = Invert(Z);
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

    /// <summary>
    /// [k]P for a 32-byte little-endian scalar k (any 256-bit value), in constant time: fixed 4-bit windows,
    /// every table entry read on every step, no branch or index on scalar bits.
    /// </summary>
    public static EdwardsPoint ScalarMul(ReadOnlySpan<byte> scalar, in EdwardsPoint p)
    {
        Guard.ExactLength(scalar.Length, 32, nameof(scalar));
        Span<EdwardsPoint> table = stackalloc EdwardsPoint[16];
        FillTable(table, p);

        var q = Identity;
        for (var i = 63; i >= 0; i--)
        {
            q = Double(Double(Double(Double(q))));
            var nibble = (ulong)(scalar[i >> 1] >> ((i & 1) << 2)) & 0xF;
            q = Add(q, Lookup(table, nibble));
        }

        table.Clear();
        return q;
    }

    /// <summary>
    /// [a]P + [b]Q for PUBLIC scalars only (verification): interleaved 4-bit windows (Straus), skipping zero
    /// digits, so its time depends on the scalars. Never call it with a secret.
    /// </summary>
    public static EdwardsPoint DoubleScalarMulVartime(ReadOnlySpan<byte> a, in EdwardsPoint p, ReadOnlySpan<byte> b, in EdwardsPoint q)
    {
        Guard.ExactLength(a.Length, 32, nameof(a));
        Guard.ExactLength(b.Length, 32, nameof(b));
        Span<EdwardsPoint> tableP = stackalloc EdwardsPoint[16];
        Span<EdwardsPoint> tableQ = stackalloc EdwardsPoint[16];
        FillTable(tableP, p);
        FillTable(tableQ, q);

        var r = Identity;
        var started = false;
        for (var i = 63; i >= 0; i--)
        {
            if (started)
            {
                r = Double(Double(Double(Double(r))));
            }

            var shift = (i & 1) << 2;
            var na = (a[i >> 1] >> shift) & 0xF;
            var nb = (b[i >> 1] >> shift) & 0xF;
            if (na != 0)
            {
                r = Add(r, tableP[na]);
                started = true;
            }

            if (nb != 0)
            {
                r = Add(r, tableQ[nb]);
                started = true;
            }
        }

        return r;
    }

    private static void FillTable(Span<EdwardsPoint> table, in EdwardsPoint p)
    {
        table[0] = Identity;
        table[1] = p;
        for (var i = 2; i < table.Length; i++)
        {
            table[i] = (i & 1) == 0 ? Double(table[i / 2]) : Add(table[i - 1], p);
        }
    }

    /// <summary>
    /// [k]B for the base point, in constant time, from the precomputed table: k = Σ dᵢ·16^i with 4-bit
    /// digits dᵢ, so [k]B = Σ [dᵢ](16^i·B), 64 additions and no doublings. Each digit's entry is read by
    /// scanning all 16 entries of its row with mask selection.
    /// </summary>
    public static EdwardsPoint ScalarMulBase(ReadOnlySpan<byte> scalar)
    {
        Guard.ExactLength(scalar.Length, 32, nameof(scalar));
        var q = Identity;
        for (var i = 0; i < 64; i++)
        {
            var nibble = (ulong)(scalar[i >> 1] >> ((i & 1) << 2)) & 0xF;
            q = Add(q, Lookup(BaseTable.AsSpan(i * 16, 16), nibble));
        }

        return q;
    }

    /// <summary>Row i holds [j](16^i·B) for j = 0..15 (1024 points, built once at start-up).</summary>
    private static readonly EdwardsPoint[] BaseTable = BuildBaseTable();

    private static EdwardsPoint[] BuildBaseTable()
    {
        var table = new EdwardsPoint[64 * 16];
        var power = Base;
        for (var i = 0; i < 64; i++)
        {
            FillTable(table.AsSpan(i * 16, 16), power);
            power = Double(Double(Double(Double(power))));
        }

        return table;
    }

    private static EdwardsPoint Lookup(ReadOnlySpan<EdwardsPoint> table, ulong index)
    {
        var result = Identity;
        for (var j = 0; j < table.Length; j++)
        {
            result = Select(ConstantTime.EqualMask((ulong)j, index), table[j], result);
        }

        return result;
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

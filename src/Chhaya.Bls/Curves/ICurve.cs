// SPDX-License-Identifier: AGPL-3.0-or-later
using Chhaya.Bls.Fields;

namespace Chhaya.Bls.Curves;

/// <summary>A short Weierstrass curve y^2 = x^3 + b (a = 0) over the coordinate field T.</summary>
internal interface ICurve<T>
    where T : unmanaged, IField<T>
{
    /// <summary>Multiplies by the curve constant b.</summary>
    static abstract T MulByB(in T a);

    /// <summary>Multiplies by 3b, the constant the complete formulas use.</summary>
    static abstract T MulByB3(in T a);
}

/// <summary>E1: y^2 = x^3 + 4 over Fp, home of G1 (public keys).</summary>
internal readonly struct G1Curve : ICurve<Fp>
{
    public static Fp MulByB(in Fp a)
    {
        var t = Fp.Double(a);
        return Fp.Double(t);
    }

    public static Fp MulByB3(in Fp a)
    {
        var t = Fp.Add(Fp.Double(a), a);
        t = Fp.Double(t);
        return Fp.Double(t);
    }
}

/// <summary>E2: y^2 = x^3 + 4(1 + u) over Fp2, the M-type sextic twist, home of G2 (signatures).</summary>
internal readonly struct G2Curve : ICurve<Fp2>
{
    public static Fp2 MulByB(in Fp2 a)
    {
        var t = Fp2.Double(Fp2.MulByNonResidue(a));
        return Fp2.Double(t);
    }

    public static Fp2 MulByB3(in Fp2 a)
    {
        var n = Fp2.MulByNonResidue(a);
        var t = Fp2.Add(Fp2.Double(n), n);
        t = Fp2.Double(t);
        return Fp2.Double(t);
    }
}

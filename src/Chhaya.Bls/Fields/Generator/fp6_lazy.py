#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
# Writes ../Fp6.Lazy.cs: Fp6 multiplication with lazy reduction, unrolled.
# Run: python3 fp6_lazy.py > ../Fp6.Lazy.cs
#
# Karatsuba over v (six Fp2 products) and over u inside each Fp2 product (three Fp products each) gives 18
# double-width products. Every output coordinate is an exact integer combination of them (the Karatsuba
# identities hold over the integers, not only mod p), so each is formed limb by limb with signed sums, made
# non-negative by adding k·p^2 for the k its exact range needs, carried once, and reduced once: six Montgomery
# reductions instead of twelve, and none of the Fp2 additions between them.

from lazy_combination import emit_reduced_combination, file_header

# The six Fp2 products of Karatsuba over v, each as three raw Fp products v0 = x0·y0, v1 = x1·y1,
# s = (x0 + x1)(y0 + y1): Re = v0 − v1, Im = s − v0 − v1.
PRODUCTS = ["t0", "t1", "t2", "m12", "m01", "m02"]


def re(p):
    return {(p, "v0"): 1, (p, "v1"): -1}


def im(p):
    return {(p, "s"): 1, (p, "v0"): -1, (p, "v1"): -1}


def comb(*terms):
    out = {}
    for sign, t in terms:
        for k, v in t.items():
            out[k] = out.get(k, 0) + sign * v
    return {k: v for k, v in out.items() if v != 0}


# u = a1·b2 + a2·b1 = m12 − t1 − t2 (and likewise for the other cross terms).
u_re = comb((1, re("m12")), (-1, re("t1")), (-1, re("t2")))
u_im = comb((1, im("m12")), (-1, im("t1")), (-1, im("t2")))
w_re = comb((1, re("m01")), (-1, re("t0")), (-1, re("t1")))
w_im = comb((1, im("m01")), (-1, im("t0")), (-1, im("t1")))
z_re = comb((1, re("m02")), (-1, re("t0")), (-1, re("t2")))
z_im = comb((1, im("m02")), (-1, im("t0")), (-1, im("t2")))

# Exact ranges for operands with every Fp coordinate in [0, p): an Fp2 product has Re in (−p², p²) and Im
# in [0, 2p²). The bias (in units of p²) lifts the lower end to at least 0; the upper end stays below 10p²,
# inside the p·2^385 (about 19.6p²) that Fp.MontgomeryReduce accepts.
OUTPUTS = [
    # c0 = ξ·(a1b2 + a2b1) + a0b0, with ξ·(x + yu) = (x − y) + (x + y)u.
    ("c0re", comb((1, u_re), (-1, u_im), (1, re("t0"))), 7),   # (−7p², 3p²)
    ("c0im", comb((1, u_re), (1, u_im), (1, im("t0"))), 2),    # (−2p², 8p²)
    # c1 = a0b1 + a1b0 + ξ·a2b2.
    ("c1re", comb((1, w_re), (1, re("t2")), (-1, im("t2"))), 5),  # (−5p², 3p²)
    ("c1im", comb((1, w_im), (1, re("t2")), (1, im("t2"))), 1),   # (−p², 7p²)
    # c2 = a0b2 + a2b0 + a1b1.
    ("c2re", comb((1, z_re), (1, re("t1"))), 3),              # (−3p², 3p²)
    ("c2im", comb((1, z_im), (1, im("t1"))), 0),              # [0, 6p²)
]


def main():
    o = []
    w = o.append
    file_header(w, "fp6_lazy.py")
    w("/// <summary>Fp6 multiplication with lazy reduction (generated; see Generator/fp6_lazy.py).</summary>")
    w("internal readonly partial struct Fp6")
    w("{")
    w("    /// <summary>")
    w("    /// a·b for operands whose Fp coordinates are reduced: 18 double-width products (Karatsuba over v and over u),")
    w("    /// each output coordinate an exact signed combination of them plus a multiple of p² that makes it")
    w("    /// non-negative (below 10p²), carried once and reduced once. Six Montgomery reductions instead of twelve.")
    w("    /// </summary>")
    w("    [MethodImpl(MethodImplOptions.AggressiveOptimization)]")
    w("    internal static Fp6 MulLazy(in Fp6 a, in Fp6 b)")
    w("    {")
    w("        const ulong Mask55 = Fp.Mask55;")
    pairs = {"t0": ("a.C0", "b.C0"), "t1": ("a.C1", "b.C1"), "t2": ("a.C2", "b.C2")}
    for name, (x, y) in pairs.items():
        w(f"        var {name}v0 = Fp.MulWide({x}.C0, {y}.C0);")
        w(f"        var {name}v1 = Fp.MulWide({x}.C1, {y}.C1);")
        w(f"        var {name}s = Fp.MulWide(Fp.AddUnreduced({x}.C0, {x}.C1), Fp.AddUnreduced({y}.C0, {y}.C1));")
    sums = {"m12": ("C1", "C2"), "m01": ("C0", "C1"), "m02": ("C0", "C2")}
    for name, (i, j) in sums.items():
        # Coordinates of a_i + a_j below 2p, their sum below 4p: both valid operands of Fp.MulWide.
        w(f"        var {name}x0 = Fp.AddUnreduced(a.{i}.C0, a.{j}.C0);")
        w(f"        var {name}x1 = Fp.AddUnreduced(a.{i}.C1, a.{j}.C1);")
        w(f"        var {name}y0 = Fp.AddUnreduced(b.{i}.C0, b.{j}.C0);")
        w(f"        var {name}y1 = Fp.AddUnreduced(b.{i}.C1, b.{j}.C1);")
        w(f"        var {name}v0 = Fp.MulWide({name}x0, {name}y0);")
        w(f"        var {name}v1 = Fp.MulWide({name}x1, {name}y1);")
        w(f"        var {name}s = Fp.MulWide(Fp.AddUnreduced({name}x0, {name}x1), Fp.AddUnreduced({name}y0, {name}y1));")
    w("        long t;")
    for out, terms, k in OUTPUTS:
        w(f"        // {out}: bias {k}p².")
        emit_reduced_combination(w, out, [(f"{p}{part}", coef) for (p, part), coef in sorted(terms.items())], k)
    w("        return new Fp6(new Fp2(c0re, c0im), new Fp2(c1re, c1im), new Fp2(c2re, c2im));")
    w("    }")
    w("}")
    print("\n".join(o))


if __name__ == "__main__":
    main()
